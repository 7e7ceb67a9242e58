package io.bktec.run;

import java.util.List;

/** The whole run: every attempt, the merged results, and the exit status decided from them. */
public record RunReport(List<AttemptOutcome> attempts, RunSummary summary, ExitStatus.Decision decision) {
    public RunReport {
        attempts = List.copyOf(attempts);
    }
}
