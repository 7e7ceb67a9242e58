package io.bktec.jobretry;

import io.bktec.outcome.TestRecord;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;

import java.util.List;
import java.util.Set;

/** The tests a red run leaves for a retry of its job: unmuted failures (collection errors too) and tests that never ran. Pure. */
public final class Leftovers {
    private Leftovers() {
    }

    /**
     * @param mutedTests "scope/name" keys of the muted tests: their failures do not make the job red
     * @return node ids as the runner takes them, in the run's order; empty when there are none, or when one of them
     *         has no id to run it by (a rerun of the others alone would leave it out)
     */
    public static List<String> of(List<TestRecord> ledger, Set<String> mutedTests) {
        List<String> ids = ledger.stream()
                .map(TestRecord::latest)
                .filter(result -> result.status() == TestStatus.NOT_RUN
                        || result.status() == TestStatus.FAILED && !mutedTests.contains(result.muteKey()))
                .map(TestResult::nodeId)
                .distinct()
                .toList();
        return ids.stream().anyMatch(String::isBlank) ? List.of() : ids;
    }
}
