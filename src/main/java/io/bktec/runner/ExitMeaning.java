package io.bktec.runner;

/** What a test runner's exit code says about the run, before its results are read. */
public enum ExitMeaning {
    /** Every test passed. */
    PASSED,
    /** Some tests failed; the result file says which. */
    TESTS_FAILED,
    /** No tests were collected (pytest 5): not a failure when other batches ran tests. */
    NO_TESTS,
    /** The run itself failed (interrupted, internal error, usage error): no retry can fix it. */
    TERMINAL
}
