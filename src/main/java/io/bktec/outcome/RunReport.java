package io.bktec.outcome;

import io.bktec.coverage.CoverageSetup;

import java.util.List;

/** The whole run: every attempt, the merged results (and each test's record), and the exit status decided from them. */
public record RunReport(List<AttemptOutcome> attempts, RunSummary summary, ExitStatus.Decision decision,
                        List<TestRecord> ledger) {
    public RunReport {
        attempts = List.copyOf(attempts);
        ledger = List.copyOf(ledger);
    }

    /** The same run with another exit status (its coverage judged). */
    public RunReport withDecision(ExitStatus.Decision other) {
        return new RunReport(attempts, summary, other, ledger);
    }

    /** What measured coverage in the run's test processes, in the order they ran. */
    public List<CoverageSetup> coverageSetups() {
        return attempts.stream().flatMap(a -> a.batches().stream())
                .flatMap(b -> b.stream().flatMap(StreamOutcome::coverage).stream())
                .toList();
    }
}
