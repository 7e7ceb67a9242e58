package io.bktec.outcome;

import io.bktec.coverage.CoverageOutcome;
import io.bktec.process.ChildExit;
import io.bktec.runner.ExitMeaning;

import java.util.List;
import java.util.OptionalInt;

/**
 * The one exit status of a run (DESIGN.md §3): no false green, no false red. A non-zero child exit that the results
 * do not explain keeps the run red; results showing an unmuted failure make it red even if the last child exited 0.
 */
public final class ExitStatus {
    public static final int CONFIG_ERROR = 16;

    private ExitStatus() {
    }

    /**
     * @param cancelSignal     the signal that cancelled bktec, if any
     * @param attempts         each attempt's batches, in order
     * @param unmutedFailures  tests whose latest result is failed and that are not muted
     * @param testsRecorded    distinct tests with results across the run
     * @param neverRan         tests whose latest result is that they never ran (muted ones included)
     */
    public record Facts(OptionalInt cancelSignal, List<List<BatchFacts>> attempts, int unmutedFailures,
                        int testsRecorded, int neverRan) {
        public Facts {
            attempts = attempts.stream().map(List::copyOf).toList();
        }

        public Facts(OptionalInt cancelSignal, List<List<BatchFacts>> attempts, int unmutedFailures,
                     int testsRecorded) {
            this(cancelSignal, attempts, unmutedFailures, testsRecorded, 0);
        }
    }

    public record Decision(int code, String reason) {
    }

    public static Decision decide(Facts facts) {
        if (facts.cancelSignal().isPresent()) {
            int signal = facts.cancelSignal().getAsInt();
            return new Decision(128 + signal, "bktec was cancelled (" + io.bktec.process.Signals.name(signal) + ")");
        }
        List<BatchFacts> all = facts.attempts().stream().flatMap(List::stream).toList();
        List<BatchFacts> last = facts.attempts().isEmpty() ? List.of() : facts.attempts().get(facts.attempts().size() - 1);
        // A signal decides the status: the latest one, unless it was a crash a later attempt retried past.
        for (int i = all.size() - 1; i >= 0; i--) {
            BatchFacts batch = all.get(i);
            boolean inLastAttempt = i >= all.size() - last.size();
            boolean retriedPast = !inLastAttempt && batch.crash().map(ProcessEnding.Died::retryable).orElse(false);
            if (batch.exit() instanceof ChildExit.Signalled s && !retriedPast && !batch.deathExplained()) {
                return new Decision(128 + s.signal(), batch.crash().map(ProcessEnding.Died::description)
                        .orElse("a test process was " + batch.exit().describe()));
            }
        }
        for (BatchFacts batch : all) {
            if (batch.exit() instanceof ChildExit.NotStarted n) {
                return new Decision(CONFIG_ERROR, "a test process did not start: " + n.reason());
            }
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            BatchFacts batch = all.get(i);
            String reason = batch.terminalReason();
            if (reason != null) {
                return new Decision(exitCode(batch), reason);
            }
        }
        // A process of the final attempt that exited mid-session (os._exit in a test) keeps its own code.
        for (int i = last.size() - 1; i >= 0; i--) {
            if (last.get(i).crash().isPresent()) {
                return new Decision(exitCode(last.get(i)), last.get(i).crash().get().description());
            }
        }
        boolean anyNoTests = all.stream().anyMatch(b -> b.meaning() == ExitMeaning.NO_TESTS);
        if (anyNoTests && facts.testsRecorded() == 0) {
            int code = all.stream().filter(b -> b.meaning() == ExitMeaning.NO_TESTS)
                    .mapToInt(b -> ((ChildExit.Exited) b.exit()).code()).findFirst().orElse(5);
            return new Decision(code, "no tests were collected");
        }
        if (facts.unmutedFailures() > 0 || facts.neverRan() > 0) {
            String what = counted(facts.unmutedFailures(), "failed")
                    + (facts.unmutedFailures() > 0 && facts.neverRan() > 0 ? " and " : "")
                    + counted(facts.neverRan(), "never ran") + (facts.attempts().size() > 1 ? " after retries" : "");
            // A session of the final attempt that stopped early keeps its own code (2 after an interrupt), never 0.
            for (int i = last.size() - 1; i >= 0; i--) {
                if (last.get(i).stop().isPresent()) {
                    return new Decision(exitCode(last.get(i)), what + "; " + last.get(i).stop().get());
                }
            }
            return new Decision(1, what);
        }
        // A crash that a retry got past still keeps the run red: something killed a test process.
        for (int attempt = 0; attempt < facts.attempts().size() - 1; attempt++) {
            for (BatchFacts batch : facts.attempts().get(attempt)) {
                if (batch.crash().isPresent() || batch.exit() instanceof ChildExit.Signalled && !batch.deathExplained()) {
                    String what = batch.crash().map(ProcessEnding.Died::description)
                            .orElse("a test process was " + batch.exit().describe());
                    return new Decision(1, what + " (attempt " + (attempt + 1) + "); the retry passed, but a crash "
                            + "keeps the run red");
                }
            }
        }
        return new Decision(0, "all tests passed");
    }

    /**
     * The run's status with its coverage judged (§3's rules first): a run that would pass fails when the combined
     * coverage misses the fail-under asked for, or when it could not be combined and a fail-under was asked for (never
     * a green run whose coverage could not be judged), as pytest-cov fails a run under its threshold.
     */
    public static Decision withCoverage(Decision decision, CoverageOutcome coverage) {
        if (decision.code() != 0) {
            return decision;
        }
        if (coverage instanceof CoverageOutcome.Combined combined && combined.under()) {
            return new Decision(1, "total coverage " + percent(combined.total().orElse(0)) + " is under the required "
                    + number(combined.failUnder().orElse(0)) + "% (--cov-fail-under), combined from "
                    + combined.processes() + " coverage data file" + (combined.processes() == 1 ? "" : "s"));
        }
        if (coverage instanceof CoverageOutcome.Failed failed && failed.failUnder().isPresent()) {
            return new Decision(1, "coverage could not be combined, so --cov-fail-under="
                    + number(failed.failUnder().getAsDouble()) + " could not be judged: " + failed.reason());
        }
        return decision;
    }

    static String percent(double value) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", value);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String counted(int tests, String what) {
        return tests == 0 ? "" : tests + (tests == 1 ? " test " : " tests ") + what;
    }

    /** The process's own exit code, never 0 for a batch that keeps the run red. */
    private static int exitCode(BatchFacts batch) {
        int code = batch.exit() instanceof ChildExit.Exited e ? e.code() : 1;
        return code == 0 ? 1 : code;
    }
}
