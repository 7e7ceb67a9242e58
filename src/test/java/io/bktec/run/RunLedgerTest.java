package io.bktec.run;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.ResultsRead;
import io.bktec.outcome.RunSummary;
import io.bktec.outcome.TestRecord;
import io.bktec.process.ChildExit;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RunLedgerTest {
    static TestResult result(String nodeId, TestStatus status) {
        int split = nodeId.lastIndexOf("::");
        return new TestResult(nodeId.substring(0, split), nodeId.substring(split + 2), nodeId, status, 0, "", false);
    }

    static AttemptOutcome attempt(int n, TestResult... results) {
        Batch batch = new Batch(n, 1, 1, List.of(), Path.of("r"), Path.of("s"));
        return new AttemptOutcome(n, List.of(new BatchOutcome(batch, new ChildExit.Exited(1),
                new ResultsRead.Read(List.of(results)))), java.time.Instant.EPOCH, java.time.Instant.EPOCH);
    }

    @Test
    void failedThenPassedIsFlakyAndCountedOnce() {
        RunLedger ledger = new RunLedger(Set.of());
        ledger.record(attempt(0, result("t.py::a", TestStatus.FAILED), result("t.py::b", TestStatus.PASSED),
                result("t.py::c", TestStatus.FAILED), result("t.py::s", TestStatus.SKIPPED)));
        assertThat(ledger.retryList(false)).containsExactly("t.py::a", "t.py::c");
        ledger.record(attempt(1, result("t.py::c", TestStatus.FAILED), result("t.py::a", TestStatus.PASSED)));
        assertThat(ledger.retryList(false)).containsExactly("t.py::c");
        RunSummary summary = ledger.summary();
        assertThat(summary.passedFirstRun()).isEqualTo(1);
        assertThat(summary.passedOnRetry()).isEqualTo(1);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.skipped()).isEqualTo(1);
        assertThat(summary.total()).isEqualTo(4);
        assertThat(summary.flakyTests()).extracting(TestResult::nodeId).containsExactly("t.py::a");
        assertThat(summary.failedTests()).extracting(TestResult::nodeId).containsExactly("t.py::c");
        assertThat(ledger.unmutedFailures()).isEqualTo(1);
    }

    @Test
    void testsAStoppedProcessLeftThatTheRestOfItsBatchRanAreNotMissedRuns() {
        Batch stopped = new Batch(0, 1, 1, List.of(), Path.of("r"), Path.of("s"));
        Batch rest = new Batch(0, 2, 1, List.of(), Path.of("r2"), Path.of("s2"), false, "the rest of tests");
        AttemptOutcome attempt = new AttemptOutcome(0, List.of(
                new BatchOutcome(stopped, new ChildExit.Signalled(9), new ResultsRead.Read(List.of(
                        result("t.py::hang", TestStatus.FAILED), result("t.py::after", TestStatus.NOT_RUN)))),
                new BatchOutcome(rest, new ChildExit.Exited(0), new ResultsRead.Read(List.of(
                        result("t.py::after", TestStatus.PASSED))))), java.time.Instant.EPOCH, java.time.Instant.EPOCH);
        RunLedger ledger = new RunLedger(Set.of());
        ledger.record(attempt);
        RunSummary summary = ledger.summary();
        assertThat(summary.passedFirstRun()).isEqualTo(1);
        assertThat(summary.ranOnRetryTests()).isEmpty();
        assertThat(summary.failedTests()).extracting(TestResult::nodeId).containsExactly("t.py::hang");
    }

    @Test
    void mutedFailuresAreRetriedLastAndOnlyWhenAsked() {
        RunLedger ledger = new RunLedger(Set.of("t.py/m"));
        ledger.record(attempt(0, result("t.py::m", TestStatus.FAILED), result("t.py::x", TestStatus.FAILED)));
        assertThat(ledger.retryList(false)).containsExactly("t.py::x");
        assertThat(ledger.retryList(true)).containsExactly("t.py::x", "t.py::m");
        assertThat(ledger.unmutedFailures()).isEqualTo(1);
        RunSummary summary = ledger.summary();
        assertThat(summary.mutedFailed()).isEqualTo(1);
        assertThat(summary.mutedFailures()).extracting(TestResult::nodeId).containsExactly("t.py::m");
    }

    @Test
    void collectionErrorsAreNeverRetried() {
        RunLedger ledger = new RunLedger(Set.of());
        TestResult error = new TestResult("", "tests/x.py", "tests/x.py", TestStatus.FAILED, 0, "", true);
        ledger.record(attempt(0, error));
        assertThat(ledger.retryList(true)).isEmpty();
        assertThat(ledger.summary().collectionErrors()).containsExactly(error);
    }

    @Test
    void aFailureIsNotHiddenByALaterPassInTheSameFile() {
        List<TestResult> results = List.of(result("t.py::a", TestStatus.FAILED),
                result("t.py::a", TestStatus.PASSED), result("t.py::b", TestStatus.PASSED), result("t.py::b", TestStatus.FAILED));
        assertThat(RunLedger.collapse(results, false)).extracting(TestResult::status)
                .containsExactly(TestStatus.FAILED, TestStatus.FAILED);
        // merged JSON from pants: pants retried the test itself, and its latest record is the truth
        assertThat(RunLedger.collapse(results, true)).extracting(TestResult::status)
                .containsExactly(TestStatus.PASSED, TestStatus.FAILED);
    }

    @Test
    void testsACrashKeptFromRunningAreRetriedAndTheCrashedTestComesLast() {
        RunLedger ledger = new RunLedger(Set.of());
        TestResult crashed = new TestResult("t.py", "b", "t.py::b", TestStatus.FAILED, 0, "crashed", false, true);
        ledger.record(attempt(0, result("t.py::a", TestStatus.PASSED), crashed, result("t.py::c", TestStatus.NOT_RUN),
                result("t.py::d", TestStatus.FAILED), result("t.py::e", TestStatus.NOT_RUN)));
        assertThat(ledger.retryList(false)).containsExactly("t.py::c", "t.py::d", "t.py::e", "t.py::b");
        assertThat(ledger.crashedTests()).containsExactly("t.py::b");
        assertThat(ledger.notRunCount()).isEqualTo(2);
        assertThat(ledger.summary().notRun()).isEqualTo(2);
        assertThat(ledger.summary().failed()).isEqualTo(2);

        ledger.record(attempt(1, result("t.py::c", TestStatus.PASSED), result("t.py::d", TestStatus.PASSED),
                result("t.py::e", TestStatus.PASSED), result("t.py::b", TestStatus.PASSED)));
        RunSummary summary = ledger.summary();
        // a test that never ran before and then passed ran on the retry (not "first run"); the crashed one is flaky
        assertThat(summary.passedFirstRun()).isEqualTo(1);
        assertThat(summary.passedOnRetry()).isEqualTo(4);
        assertThat(summary.flakyTests()).extracting(TestResult::nodeId).containsExactly("t.py::b", "t.py::d");
        assertThat(summary.ranOnRetryTests()).extracting(TestResult::nodeId).containsExactly("t.py::c", "t.py::e");
        assertThat(summary.notRun()).isZero();
        assertThat(ledger.crashedTests()).isEmpty();
        assertThat(ledger.records()).filteredOn(r -> r.latest().nodeId().equals("t.py::c"))
                .extracting(TestRecord::executions).containsExactly(1);
    }

    @Test
    void aFileOrNodeIdNamedNotRunGivesWayToTheTestsALaterAttemptReports() {
        RunLedger ledger = new RunLedger(Set.of());
        ledger.record(attempt(0, result("a.py::t1", TestStatus.FAILED),
                new TestResult("", "b.py", "b.py", TestStatus.NOT_RUN, 0, "not run", false),
                new TestResult("", "a.py::t2", "a.py::t2", TestStatus.NOT_RUN, 0, "not run", false)));
        assertThat(ledger.retryList(false)).containsExactly("a.py::t1", "b.py", "a.py::t2");
        assertThat(ledger.notRunCount()).isEqualTo(2);
        ledger.record(attempt(1, result("a.py::t1", TestStatus.PASSED), result("b.py::x", TestStatus.PASSED),
                result("b.py::y", TestStatus.PASSED), result("a.py::t2", TestStatus.PASSED)));
        assertThat(ledger.notRunCount()).isZero();
        RunSummary summary = ledger.summary();
        assertThat(summary.total()).isEqualTo(4);
        assertThat(summary.flakyTests()).extracting(TestResult::nodeId).containsExactly("a.py::t1");
        assertThat(summary.ranOnRetryTests()).extracting(TestResult::nodeId)
                .containsExactly("b.py::x", "b.py::y", "a.py::t2");
    }
}
