package io.bktec.plan;

/**
 * One runnable item of a plan: a test file or a single test's node id. {@code format} is "file" or "example", as
 * the Test Engine names them.
 */
public record TestCase(String path, String format) {
    public static TestCase file(String path) {
        return new TestCase(path, "file");
    }

    public static TestCase example(String nodeId) {
        return new TestCase(nodeId, "example");
    }
}
