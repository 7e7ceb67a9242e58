package io.bktec.report;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.ProcessEnding;
import io.bktec.outcome.ResultsRead;
import io.bktec.process.ChildExit;
import io.bktec.run.AttemptProgress;
import io.bktec.run.RunListener;
import io.bktec.shell.ShellWords;

import java.util.List;

/**
 * Prints the run as it happens: a log group per attempt (and per batch when there are several), a progress line now
 * and then on long attempts (under Buildkite, or with several processes at once), and what the results stream says
 * about crashes.
 */
public final class ConsoleReporter implements RunListener {
    private static final int MAX_COMMAND_CHARS = 4000;
    private static final long PROGRESS_INTERVAL_NANOS = 10_000_000_000L;
    private static final int MAX_DIFFERENCES_SHOWN = 10;
    private final Console console;
    private final String runnerName;
    private final int concurrency;
    private final java.util.function.LongSupplier clock;
    private final boolean showProgress;
    private final java.util.concurrent.atomic.AtomicLong nextProgressNanos = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean streamMissingTold = new java.util.concurrent.atomic.AtomicBoolean();

    public ConsoleReporter(Console console, String runnerName, int concurrency) {
        this(console, runnerName, concurrency, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    public ConsoleReporter(Console console, String runnerName, int concurrency, java.util.function.LongSupplier clock) {
        this.console = console;
        this.runnerName = runnerName;
        this.concurrency = concurrency;
        this.clock = clock;
        this.showProgress = console.buildkite() || concurrency > 1;
    }

    @Override
    public void attemptStarting(int attempt, int retryCount, int testCount, int notRun, int batchCount) {
        attemptHeader(attempt, retryCount, testCount, notRun, batchCount > 1 ? " in " + batchCount + " batches" : "");
    }

    @Override
    public void attemptStartingWithWorkers(int attempt, int retryCount, int testCount, int notRun, int workers) {
        attemptHeader(attempt, retryCount, testCount, notRun, " with " + workers + " workers");
    }

    private void attemptHeader(int attempt, int retryCount, int testCount, int notRun, String how) {
        nextProgressNanos.set(clock.getAsLong() + PROGRESS_INTERVAL_NANOS);
        if (attempt == 0) {
            console.group(testCount == 0 ? "bktec: running " + runnerName
                    : "bktec: running " + testCount + " test file" + plural(testCount) + " with " + runnerName + how);
        } else {
            int failed = testCount - notRun;
            String what = failed == 0 ? count(notRun) + " that did not run"
                    : failed + " failed test" + plural(failed) + (notRun == 0 ? "" : " and " + notRun + " that did not run");
            console.group("bktec: retry " + attempt + " of " + retryCount + ": " + what + how);
        }
    }

    @Override
    public void batchStarting(Batch batch, List<String> argv) {
        if (batch.worker()) {
            boolean files = batch.tests().stream().noneMatch(t -> t.contains("::"));
            console.line("bktec: starting " + batch.label() + ", a pytest worker given " + batch.tests().size()
                    + (files ? " test file" : " test") + plural(batch.tests().size()));
        } else if (batch.of() > 1) {
            if (concurrency == 1) {
                console.group("bktec: " + batch.label() + " (" + count(batch.tests().size()) + ")"); // one group per batch
            } else {
                console.line("bktec: starting " + batch.label() + " (" + count(batch.tests().size()) + ")");
            }
        }
        printCommand(argv);
        console.debug("starting " + batch.label());
    }

    @Override
    public void forkServerStarting(Batch server, List<String> argv) {
        console.line("bktec: starting the " + server.label() + ": pytest starts up once, and each worker is forked "
                + "from it");
        printCommand(argv);
    }

    private void printCommand(List<String> argv) {
        String command = ShellWords.join(argv);
        if (command.length() > MAX_COMMAND_CHARS) {
            command = command.substring(0, MAX_COMMAND_CHARS) + " … (" + argv.size() + " arguments in all)";
        }
        console.line("$ " + command);
    }

    @Override
    public void batchFinished(BatchOutcome outcome) {
        ChildExit exit = outcome.exit();
        console.debug(outcome.batch().label() + " finished (" + exit.describe() + "), "
                + outcome.results().results().size() + " results read from " + outcome.batch().resultFile());
        String label = outcome.batch().label();
        ProcessEnding ending = outcome.ending();
        if (ending instanceof ProcessEnding.Interrupted interrupted) {
            console.warning(runnerName + " (" + label + "): " + interrupted.description());
            if (!interrupted.stack().isEmpty()) {
                console.line("the stack of every thread of its process at that moment:");
                interrupted.stack().lines().forEach(line -> console.line("  " + line));
            }
        } else if (ending instanceof ProcessEnding.Died died) {
            console.warning(runnerName + " (" + label + "): " + died.description());
        } else if (exit instanceof ChildExit.Signalled) {
            console.warning(runnerName + " (" + label + ") was " + exit.describe());
        } else if (exit instanceof ChildExit.NotStarted notStarted) {
            console.warning(runnerName + " (" + label + ") did not start: " + notStarted.reason());
        }
        ResultsRead results = outcome.results();
        outcome.streamMissing().ifPresent(why -> {
            if (streamMissingTold.compareAndSet(false, true)) {
                console.notice(why + "; results come from the result file, so a crash cannot be pinned on a test");
            }
        });
        if (results instanceof ResultsRead.Streamed streamed && console.debugging()) {
            debugDifferences(label, streamed);
        }
        boolean exitedNonZero = !(exit instanceof ChildExit.Exited e && e.code() == 0);
        if (results instanceof ResultsRead.Unreadable unreadable) {
            console.warning("could not read the results of " + label + " (" + outcome.batch().resultFile() + "): "
                    + unreadable.reason() + "; its failed tests cannot be retried");
        } else if (results instanceof ResultsRead.Missing && exitedNonZero && exit instanceof ChildExit.Exited) {
            console.warning(runnerName + " (" + label + ") wrote no results to " + outcome.batch().resultFile()
                    + "; its failed tests cannot be retried");
        }
    }

    private void debugDifferences(String label, ResultsRead.Streamed streamed) {
        if (streamed.file() instanceof ResultsRead.Unreadable unreadable) {
            console.debug(label + ": the result file could not be read (" + unreadable.reason()
                    + "); the results stream stands");
        }
        List<String> differences = streamed.disagreements();
        if (differences.isEmpty()) {
            return;
        }
        console.debug(label + ": the result file differs from the results stream in " + differences.size()
                + " test" + plural(differences.size()) + "; the stream stands:");
        differences.stream().limit(MAX_DIFFERENCES_SHOWN).forEach(d -> console.debug("  " + d));
        if (differences.size() > MAX_DIFFERENCES_SHOWN) {
            console.debug("  … and " + (differences.size() - MAX_DIFFERENCES_SHOWN) + " more");
        }
    }

    @Override
    public void progress(AttemptProgress progress) {
        if (!showProgress) {
            return;
        }
        long now = clock.getAsLong();
        long due = nextProgressNanos.get();
        if (now - due < 0 || !nextProgressNanos.compareAndSet(due, now + PROGRESS_INTERVAL_NANOS)) {
            return;
        }
        int collected = progress.collected();
        console.notice(grouped(progress.finished()) + (collected > 0 ? "/" + grouped(collected) : "") + " tests, "
                + grouped(progress.failed()) + " failed, " + elapsed(now - progress.startedNanos()));
    }

    @Override
    public void notice(String text) {
        console.notice(text);
    }

    @Override
    public void dispatch(String decision) {
        console.debug("dispatch: " + decision);
    }

    /** 1234567 as "1,234,567", without Formatter (its first use costs a short run ~10 ms). */
    static String grouped(int n) {
        String digits = Integer.toString(n);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                out.append(',');
            }
            out.append(digits.charAt(i));
        }
        return out.toString();
    }

    /** "45s", "2m10s", "1h02m03s". */
    static String elapsed(long nanos) {
        long seconds = Math.max(0, nanos / 1_000_000_000L);
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        if (h > 0) {
            return h + "h" + two(m) + "m" + two(s) + "s";
        }
        return m > 0 ? m + "m" + two(s) + "s" : s + "s";
    }

    private static String two(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
    }

    @Override
    public void attemptFinished(AttemptOutcome outcome, boolean failed) {
        if (failed) {
            console.expandPreviousGroup();
        }
    }

    private static String count(int tests) {
        return tests + " test" + plural(tests);
    }

    static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
