package io.bktec.report;

import io.bktec.process.ChildExit;
import io.bktec.run.AttemptOutcome;
import io.bktec.run.Batch;
import io.bktec.run.BatchOutcome;
import io.bktec.run.ResultsRead;
import io.bktec.run.RunListener;
import io.bktec.runner.ShellWords;

import java.util.List;

/** Prints the run as it happens: a log group per attempt (and per batch when there are several). */
public final class ConsoleReporter implements RunListener {
    private static final int MAX_COMMAND_CHARS = 4000;
    private final Console console;
    private final String runnerName;
    private final int concurrency;

    public ConsoleReporter(Console console, String runnerName, int concurrency) {
        this.console = console;
        this.runnerName = runnerName;
        this.concurrency = concurrency;
    }

    @Override
    public void attemptStarting(int attempt, int retryCount, int testCount, int batchCount) {
        String batches = batchCount > 1 ? " in " + batchCount + " batches" : "";
        if (attempt == 0) {
            console.group(testCount == 0 ? "bktec: running " + runnerName
                    : "bktec: running " + testCount + " test file" + plural(testCount) + " with " + runnerName + batches);
        } else {
            console.group("bktec: retry " + attempt + " of " + retryCount + ": " + testCount + " failed test"
                    + plural(testCount) + batches);
        }
    }

    @Override
    public void batchStarting(Batch batch, List<String> argv) {
        if (batch.of() > 1) {
            if (concurrency == 1) {
                console.group("bktec: " + batch.label() + " (" + batch.tests().size() + " tests)"); // one group per batch
            } else {
                console.line("bktec: starting " + batch.label() + " (" + batch.tests().size() + " tests)");
            }
        }
        String command = ShellWords.join(argv);
        if (command.length() > MAX_COMMAND_CHARS) {
            command = command.substring(0, MAX_COMMAND_CHARS) + " … (" + argv.size() + " arguments in all)";
        }
        console.line("$ " + command);
        console.debug("starting " + batch.label());
    }

    @Override
    public void batchFinished(BatchOutcome outcome) {
        ChildExit exit = outcome.exit();
        console.debug(outcome.batch().label() + " finished (" + exit.describe() + "), "
                + outcome.results().results().size() + " results read from " + outcome.batch().resultFile());
        String label = outcome.batch().label();
        if (exit instanceof ChildExit.Signalled) {
            console.warning(runnerName + " (" + label + ") was " + exit.describe());
        } else if (exit instanceof ChildExit.NotStarted notStarted) {
            console.warning(runnerName + " (" + label + ") did not start: " + notStarted.reason());
        }
        ResultsRead results = outcome.results();
        boolean exitedNonZero = !(exit instanceof ChildExit.Exited e && e.code() == 0);
        if (results instanceof ResultsRead.Unreadable unreadable) {
            console.warning("could not read the results of " + label + " (" + outcome.batch().resultFile() + "): "
                    + unreadable.reason() + "; its failed tests cannot be retried");
        } else if (results instanceof ResultsRead.Missing && exitedNonZero && exit instanceof ChildExit.Exited) {
            console.warning(runnerName + " (" + label + ") wrote no results to " + outcome.batch().resultFile()
                    + "; its failed tests cannot be retried");
        }
    }

    @Override
    public void attemptFinished(AttemptOutcome outcome, boolean failed) {
        if (failed) {
            console.expandPreviousGroup();
        }
    }

    static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
