package io.bktec.outcome;

import io.bktec.process.ChildExit;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import io.bktec.runner.ExitMeaning;

import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * What the exit-status rules need to know about one batch.
 *
 * @param meaning         the runner's reading of the exit code; null unless the process exited by itself
 * @param failedResults   failed tests in this batch's results (muted ones included)
 * @param collectionError the results contain a collection error
 * @param ending          how the process ended, as its results stream decided it ({@link ProcessEnding.Unobserved}
 *                        without one): a crash, an early stop (the tests it did not run are not run, and a retry can
 *                        run them), or bktec's interruption (the test is failed for it, and but for a cancel the
 *                        process's death says nothing more)
 */
public record BatchFacts(ChildExit exit, ExitMeaning meaning, boolean resultsReadable, int failedResults,
                         boolean collectionError, ProcessEnding ending) {

    public BatchFacts(ChildExit exit, ExitMeaning meaning, boolean resultsReadable, int failedResults,
                      boolean collectionError) {
        this(exit, meaning, resultsReadable, failedResults, collectionError, new ProcessEnding.Unobserved());
    }

    /**
     * The facts of a finished batch: its process's ending as its stream decided it (a worker's crash is always
     * retryable: the dispatcher gave what it left undone to another worker).
     *
     * @param meaning the runner's reading of an exit code
     */
    public static BatchFacts of(BatchOutcome outcome, IntFunction<ExitMeaning> meaning) {
        List<TestResult> results = outcome.results().results();
        int failed = (int) results.stream().filter(r -> r.status() == TestStatus.FAILED).count();
        boolean collectionError = results.stream().anyMatch(TestResult::collectionError);
        ProcessEnding decided = outcome.ending();
        ProcessEnding ending = decided instanceof ProcessEnding.Died died && outcome.batch().worker()
                ? new ProcessEnding.Died(died.description(), true) : decided;
        return new BatchFacts(outcome.exit(),
                outcome.exit() instanceof ChildExit.Exited e ? meaning.apply(e.code()) : null,
                outcome.results().readable(), failed, collectionError, ending);
    }

    /** The process died mid-session by itself, as its results stream tells it. */
    public Optional<ProcessEnding.Died> crash() {
        return ending instanceof ProcessEnding.Died died ? Optional.of(died) : Optional.empty();
    }

    /** pytest stopped its session early and said why. */
    public Optional<String> stop() {
        return ending instanceof ProcessEnding.StoppedEarly stopped ? Optional.of(stopped.description())
                : Optional.empty();
    }

    /** bktec stopped the process (a timeout) or the kernel did (memory): its death is its test's failure, no more. */
    public boolean deathExplained() {
        return ending instanceof ProcessEnding.Interrupted interrupted && interrupted.explainsTheExit();
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
        if (ending instanceof ProcessEnding.Died died) {
            // The stream says which test crashed and which never ran: a retry can run them.
            return died.retryable() ? null : died.description();
        }
        if (deathExplained()) {
            return null; // the stopped test failed; the others run again
        }
        if (exit instanceof ChildExit.Signalled) {
            return "the test process was " + exit.describe();
        }
        if (ending instanceof ProcessEnding.StoppedEarly) {
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
