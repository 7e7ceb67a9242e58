package io.bktec.results;

/** A test's outcome as a result file reports it. xfail is skipped and xpass is passed, as pytest reports them. */
public enum TestStatus {
    PASSED,
    FAILED,
    SKIPPED,
    /** The file had a record without an outcome bktec understands. */
    UNKNOWN,
    /** Collected, but its process died before the test started: a retry runs it. */
    NOT_RUN;

    /** Whether the test ran to an outcome: passed, failed or skipped (not an unfinished or unrun record). */
    public boolean ranToAnOutcome() {
        return this == PASSED || this == FAILED || this == SKIPPED;
    }

    public static TestStatus fromCollector(String result) {
        if (result == null) {
            return UNKNOWN;
        }
        return switch (result) {
            case "passed" -> PASSED;
            case "failed" -> FAILED;
            case "skipped" -> SKIPPED;
            default -> UNKNOWN;
        };
    }
}
