package io.bktec.run;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.RunSummary;
import io.bktec.outcome.TestRecord;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import io.bktec.worker.WorkItem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The results of every attempt merged by test identity (scope, name and node id, as bktec keys them), in the order
 * tests first appeared. Fed one whole attempt at a time, in batch order, so the order is the same on every run.
 */
public final class RunLedger {
    private final Map<String, TestRecord> tests = new LinkedHashMap<>();
    private final Set<String> mutedTests;
    private final boolean latestDuplicateWins;

    /**
     * @param latestDuplicateWins within one result file, the later of two records for a test wins (merged JSON);
     *                            otherwise a failure is never hidden by a later pass in the same file
     */
    public RunLedger(Set<String> mutedTests, boolean latestDuplicateWins) {
        this.mutedTests = Set.copyOf(mutedTests);
        this.latestDuplicateWins = latestDuplicateWins;
    }

    public RunLedger(Set<String> mutedTests) {
        this(mutedTests, false);
    }

    public void record(AttemptOutcome attempt) {
        Set<String> reported = new java.util.HashSet<>();
        Set<String> ranInThisAttempt = ranIn(attempt);
        for (BatchOutcome batch : attempt.batches()) {
            for (TestResult result : collapse(batch.results().results(), latestDuplicateWins)) {
                if (result.status() == TestStatus.NOT_RUN && ranInThisAttempt.contains(result.identity())) {
                    continue; // a process of the same attempt ran it after all (the rest of a stopped batch)
                }
                merge(result);
                if (result.status().ranToAnOutcome()) {
                    reported.add(result.nodeId());
                    reported.add(WorkItem.fileOf(result.nodeId()));
                }
            }
        }
        attempt.unassigned().forEach(this::merge);
        settleNotRun(reported);
    }

    /** The tests some process of the attempt ran to an outcome. */
    private static Set<String> ranIn(AttemptOutcome attempt) {
        Set<String> ran = new java.util.HashSet<>();
        for (BatchOutcome batch : attempt.batches()) {
            for (TestResult result : batch.results().results()) {
                if (result.status().ranToAnOutcome()) {
                    ran.add(result.identity());
                }
            }
        }
        return ran;
    }

    /**
     * A test recorded as not run under a name of its own (a whole file, or a node id, named before any result said
     * what pytest calls it) is settled once an attempt reports it: its record gives way to the reported tests', which
     * keep that their first run was missed.
     */
    private void settleNotRun(Set<String> reported) {
        Set<String> settled = new java.util.HashSet<>();
        tests.values().removeIf(record -> {
            TestResult latest = record.latest();
            if (latest.status() == TestStatus.NOT_RUN && reported.contains(latest.nodeId())) {
                settled.add(latest.nodeId());
                return true;
            }
            return false;
        });
        if (!settled.isEmpty()) {
            tests.replaceAll((identity, record) -> {
                String nodeId = record.latest().nodeId();
                return settled.contains(nodeId) || settled.contains(WorkItem.fileOf(nodeId))
                        ? new TestRecord(record.latest(), record.executions(), record.everFailed(), true) : record;
            });
        }
    }

    private void merge(TestResult result) {
        boolean missed = result.status() == TestStatus.NOT_RUN;
        tests.merge(result.identity(), new TestRecord(result, missed ? 0 : 1, result.status() == TestStatus.FAILED,
                        missed),
                (old, now) -> new TestRecord(result, old.executions() + now.executions(),
                        old.everFailed() || now.everFailed(), old.missedRun() || now.missedRun()));
    }

    /**
     * One result per test per file: a test reported twice in one file (a failing teardown after a pass, or merged
     * JSON) counts once. Unless the latest record wins, a failure is never hidden by a later pass in the same file.
     */
    static List<TestResult> collapse(List<TestResult> results, boolean latestWins) {
        Map<String, TestResult> byIdentity = new LinkedHashMap<>();
        for (TestResult result : results) {
            byIdentity.merge(result.identity(), result, (old, now) ->
                    !latestWins && old.status() == TestStatus.FAILED && now.status() != TestStatus.FAILED ? old : now);
        }
        return new ArrayList<>(byIdentity.values());
    }

    public boolean isMuted(TestResult result) {
        return mutedTests.contains(result.muteKey());
    }

    /**
     * Node ids to run again: tests whose latest result is failed, first the unmuted ones and then, when asked, the
     * muted ones, and tests that never ran (their session stopped or their process died first), each in
     * first-appearance order. Tests that
     * crashed their process come last. Collection errors are never retried.
     */
    public List<String> retryList(boolean retryMuted) {
        List<String> unmuted = new ArrayList<>();
        List<String> muted = new ArrayList<>();
        List<String> crashed = new ArrayList<>();
        for (TestRecord record : tests.values()) {
            TestResult latest = record.latest();
            if (latest.collectionError()) {
                continue;
            }
            if (latest.status() == TestStatus.NOT_RUN) {
                unmuted.add(latest.nodeId());
            } else if (latest.status() == TestStatus.FAILED) {
                boolean isMuted = isMuted(latest);
                if (!isMuted || retryMuted) {
                    (latest.crashed() ? crashed : isMuted ? muted : unmuted).add(latest.nodeId());
                }
            }
        }
        unmuted.addAll(muted);
        unmuted.addAll(crashed);
        return unmuted.stream().distinct().toList();
    }

    /** Tests whose latest result is that they never ran (their session stopped or their process died first). */
    public int notRunCount() {
        return (int) tests.values().stream().filter(r -> r.latest().status() == TestStatus.NOT_RUN).count();
    }

    /** Tests whose latest result is that they crashed their process: a retry runs them in a process of their own. */
    public java.util.Set<String> crashedTests() {
        java.util.Set<String> crashed = new java.util.LinkedHashSet<>();
        for (TestRecord record : tests.values()) {
            if (record.latest().crashed() && record.latest().status() == TestStatus.FAILED) {
                crashed.add(record.latest().nodeId());
            }
        }
        return crashed;
    }

    /** The end-of-run counts and lists of these records. */
    public RunSummary summary() {
        return RunSummary.of(records(), this::isMuted);
    }

    public List<TestRecord> records() {
        return List.copyOf(tests.values());
    }

    public int unmutedFailures() {
        return (int) tests.values().stream()
                .filter(r -> r.latest().status() == TestStatus.FAILED && !isMuted(r.latest())).count();
    }

    public int size() {
        return tests.size();
    }
}
