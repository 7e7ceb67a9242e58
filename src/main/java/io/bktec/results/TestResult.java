package io.bktec.results;

/**
 * One test's result from a result file or from the results stream.
 *
 * @param scope           scope as the result format reports it (collector scope, or JUnit classname); with
 *                        {@code name} it forms the key the Test Engine mutes by
 * @param name            test name as reported
 * @param nodeId          the pytest node id that runs this test again from the working directory
 * @param failureReason   short reason for a failure, or empty
 * @param collectionError the record is a collection (import) error, not a test: the run cannot be retried
 * @param crashed         the test was running when its process died: it counts as failed, and a retry runs it in a
 *                        process of its own so that a repeated crash cannot stop other tests
 */
public record TestResult(String scope, String name, String nodeId, TestStatus status, double durationSeconds,
                         String failureReason, boolean collectionError, boolean crashed) {

    public TestResult(String scope, String name, String nodeId, TestStatus status, double durationSeconds,
                      String failureReason, boolean collectionError) {
        this(scope, name, nodeId, status, durationSeconds, failureReason, collectionError, false);
    }

    /** "scope/name": how the Test Engine identifies a test for muting. */
    public String muteKey() {
        return scope + "/" + name;
    }

    /** Identity across attempts: scope, name and path, as bktec keys its run results. */
    public String identity() {
        return scope + "/" + name + "/" + nodeId;
    }
}
