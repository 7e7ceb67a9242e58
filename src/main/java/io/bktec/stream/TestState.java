package io.bktec.stream;

import io.bktec.results.TestStatus;

/**
 * What a results stream has said of one test so far. A test failed if any of its phases failed (a teardown error
 * fails a test whose call passed, as pytest counts it); skipped if a phase skipped (xfail included); passed otherwise.
 */
final class TestState {
    boolean started;
    boolean finished;
    int reports;
    String failedWhen;
    String failureReason = "";
    boolean skipped;
    double duration;

    private void reset() {
        reports = 0;
        failedWhen = null;
        failureReason = "";
        skipped = false;
    }

    /**
     * One phase's report.
     *
     * @return whether it was the test's last (its teardown)
     */
    boolean report(StreamEvent.PhaseReport report) {
        if (report.outcome().equals("rerun")) {
            reset(); // a rerun plugin will run it again; only the last round counts
            return false;
        }
        reports++;
        duration += Math.max(0, report.durationSeconds());
        if (report.outcome().equals("failed") && failedWhen == null) {
            failedWhen = report.when();
            failureReason = switch (report.when()) {
                case "setup" -> "error at setup: " + report.reason();
                case "teardown" -> "error at teardown: " + report.reason();
                default -> report.reason();
            };
        } else if (report.outcome().equals("skipped")) {
            skipped = true;
        }
        return report.when().equals("teardown");
    }

    /** Setup, call and teardown all passed: the three reports in one. */
    void passed(double durationSeconds) {
        reports += 3;
        duration += Math.max(0, durationSeconds);
    }

    TestStatus status() {
        if (failedWhen != null) {
            return TestStatus.FAILED;
        }
        if (skipped) {
            return TestStatus.SKIPPED;
        }
        return reports == 0 ? TestStatus.UNKNOWN : TestStatus.PASSED;
    }

    /** It started and its last phase never reported. */
    boolean unfinished() {
        return started && !finished;
    }
}
