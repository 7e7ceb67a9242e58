package io.bktec.run;

import java.util.List;

/** The whole run: every attempt, the merged results (and each test's record), and the exit status decided from them. */
public record RunReport(List<AttemptOutcome> attempts, RunSummary summary, ExitStatus.Decision decision,
                        List<TestRecord> ledger) {
    public RunReport {
        attempts = List.copyOf(attempts);
        ledger = List.copyOf(ledger);
    }
}
