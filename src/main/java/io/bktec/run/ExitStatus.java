package io.bktec.run;

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
     */
    public record Facts(OptionalInt cancelSignal, List<List<BatchFacts>> attempts, int unmutedFailures,
                        int testsRecorded) {
        public Facts {
            attempts = attempts.stream().map(List::copyOf).toList();
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
        // A signal anywhere ends the run: the latest one is reported.
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).exit() instanceof ChildExit.Signalled s) {
                return new Decision(128 + s.signal(), "a test process was " + all.get(i).exit().describe());
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
                int code = ((ChildExit.Exited) batch.exit()).code();
                return new Decision(code == 0 ? 1 : code, reason);
            }
        }
        boolean anyNoTests = all.stream().anyMatch(b -> b.meaning() == ExitMeaning.NO_TESTS);
        if (anyNoTests && facts.testsRecorded() == 0) {
            int code = all.stream().filter(b -> b.meaning() == ExitMeaning.NO_TESTS)
                    .mapToInt(b -> ((ChildExit.Exited) b.exit()).code()).findFirst().orElse(5);
            return new Decision(code, "no tests were collected");
        }
        if (facts.unmutedFailures() > 0) {
            return new Decision(1, facts.unmutedFailures() + " test" + (facts.unmutedFailures() == 1 ? "" : "s")
                    + " failed" + (facts.attempts().size() > 1 ? " after retries" : ""));
        }
        return new Decision(0, "all tests passed");
    }
}
