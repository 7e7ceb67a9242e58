package io.bktec.run;

import io.bktec.process.ChildExit;
import io.bktec.runner.ExitMeaning;
import io.bktec.watch.Interruption;

import java.util.Optional;

/**
 * What the exit-status rules need to know about one batch.
 *
 * @param meaning         the runner's reading of the exit code; null unless the process exited by itself
 * @param failedResults   failed tests in this batch's results (muted ones included)
 * @param collectionError the results contain a collection error
 * @param crash           the results stream shows the process died mid-session
 * @param stop            the results stream shows the session stopped early and why (-x, pytest.exit, an
 *                        interrupt): the tests it did not run are not run, and a retry can run them
 * @param interruption    bktec stopped the running test (its timeout, the job's cancel) or saw its process killed
 *                        for want of memory: the test is failed for it, and (but for a cancel) the process's death
 *                        says nothing more
 */
public record BatchFacts(ChildExit exit, ExitMeaning meaning, boolean resultsReadable, int failedResults,
                         boolean collectionError, Optional<Crash> crash, Optional<String> stop,
                         Optional<Interruption> interruption) {

    /**
     * A process that died mid-session, as its results stream tells it.
     *
     * @param description what happened, naming the crashed test when there was one
     * @param retryable   the stream named tests a retry can run (the crashed one, or ones never started)
     */
    public record Crash(String description, boolean retryable) {
    }

    public BatchFacts(ChildExit exit, ExitMeaning meaning, boolean resultsReadable, int failedResults,
                      boolean collectionError) {
        this(exit, meaning, resultsReadable, failedResults, collectionError, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public BatchFacts(ChildExit exit, ExitMeaning meaning, boolean resultsReadable, int failedResults,
                      boolean collectionError, Optional<Crash> crash) {
        this(exit, meaning, resultsReadable, failedResults, collectionError, crash, Optional.empty(), Optional.empty());
    }

    public BatchFacts(ChildExit exit, ExitMeaning meaning, boolean resultsReadable, int failedResults,
                      boolean collectionError, Optional<Crash> crash, Optional<String> stop) {
        this(exit, meaning, resultsReadable, failedResults, collectionError, crash, stop, Optional.empty());
    }

    /** bktec stopped the process (a timeout) or the kernel did (memory): its death is its test's failure, no more. */
    public boolean deathExplained() {
        return interruption.map(Interruption::explainsTheExit).orElse(false);
    }

    /** A batch whose outcome no retry can repair: the run stops and stays red. */
    public boolean terminal() {
        return terminalReason() != null;
    }

    /** Why the batch is terminal, or null when it is not. */
    public String terminalReason() {
        if (exit instanceof ChildExit.NotStarted n) {
            return "the test process did not start: " + n.reason();
        }
        if (collectionError) {
            return "pytest could not collect some tests (collection error)";
        }
        if (crash.isPresent()) {
            // The stream says which test crashed and which never ran: a retry can run them.
            return crash.get().retryable() ? null : crash.get().description();
        }
        if (deathExplained()) {
            return null; // the stopped test failed; the others run again
        }
        if (exit instanceof ChildExit.Signalled) {
            return "the test process was " + exit.describe();
        }
        if (stop.isPresent()) {
            // pytest said why it stopped (exit 2 for pytest.exit or an interrupt): a retry runs what it left.
            return null;
        }
        int code = ((ChildExit.Exited) exit).code();
        return switch (meaning) {
            case PASSED, NO_TESTS -> null;
            case TERMINAL -> "the test process ended with exit status " + code + ", which is not a test failure";
            case TESTS_FAILED -> !resultsReadable
                    ? "the test process exited with status " + code + " and its results could not be read"
                    : failedResults == 0
                    ? "the test process exited with status " + code + " but its results show no failed test"
                    : null;
        };
    }
}
