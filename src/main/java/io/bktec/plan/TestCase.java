package io.bktec.plan;

/**
 * One runnable item of a plan, as the Test Engine describes it: a file, a single test ("example"), or a selector.
 *
 * @param path                file path or node id
 * @param format              "file", "example" or "selector" (absent in JSON means file)
 * @param identifier          test identifier (node id) for examples, else empty
 * @param scope               scope as the Test Engine stores it, for examples
 * @param name                test name, for examples
 * @param value               the runnable selector, for selectors
 * @param estimatedDurationMs the server's estimate, 0 when unknown
 */
public record TestCase(String path, String format, String identifier, String scope, String name, String value,
                       long estimatedDurationMs) {

    public TestCase {
        path = path == null ? "" : path;
        format = format == null || format.isEmpty() ? "file" : format;
        identifier = identifier == null ? "" : identifier;
        scope = scope == null ? "" : scope;
        name = name == null ? "" : name;
        value = value == null ? "" : value;
    }

    public static TestCase file(String path) {
        return new TestCase(path, "file", "", "", "", "", 0);
    }

    public static TestCase example(String nodeId, String scope, String name) {
        return new TestCase(nodeId, "example", nodeId, scope, name, "", 0);
    }

    /** What is handed to the runner: the selector's value for selectors, the path otherwise. */
    public String runnable() {
        return format.equals("selector") && !value.isEmpty() ? value : path;
    }

    public TestCase withPath(String newPath) {
        return new TestCase(newPath, format, identifier, scope, name, value, estimatedDurationMs);
    }
}
