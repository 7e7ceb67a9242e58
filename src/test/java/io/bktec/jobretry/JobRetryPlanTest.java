package io.bktec.jobretry;

import io.bktec.config.Config;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobRetryPlanTest {
    private static final List<String> SHARE = List.of("tests/test_a.py", "tests/test_b.py");
    private static final NodeShare HERE = NodeShare.of("step-1", 1, 2, SHARE);
    private static final List<String> FAILED = List.of("tests/test_b.py::test_x[1]", "tests/test_a.py");

    private static Config.JobAttempt attempt(int attempt, boolean onlyFailures) {
        return new Config.JobAttempt("build-1", "step-1", attempt, onlyFailures);
    }

    private static JobRetryPlan.Lookup found(FailureRecord record) {
        return new JobRetryPlan.Found(RecordCodec.encode(record, RecordCodec.META_DATA_LIMIT_BYTES).value());
    }

    private static String reason(JobScope scope) {
        assertThat(scope).isInstanceOf(JobScope.Whole.class);
        assertThat(scope.tests()).isEqualTo(SHARE);
        return ((JobScope.Whole) scope).reason().orElseThrow();
    }

    @Test
    void aMatchingRecordNarrowsARetriedJobToItsTestsAndSaysHowToTurnItOff() {
        JobScope scope = JobRetryPlan.decide(attempt(2, true), HERE, SHARE,
                found(new FailureRecord.Listed(HERE, 40, FAILED)));
        assertThat(scope).isEqualTo(new JobScope.FailuresOnly(2, FAILED, 40));
        assertThat(scope.notice()).contains("job attempt 2 (BUILDKITE_RETRY_COUNT=2) reruns only the 2 of 40 tests that "
                + "attempt 1 left failing or unrun on this node (BUILDKITE_TEST_ENGINE_JOB_RETRY=all runs them all)");
        assertThat(scope.ran(2)).isEqualTo("job attempt 2 (BUILDKITE_RETRY_COUNT=2): ran 2 of 40 tests, those attempt 1 "
                + "left failing or unrun");
        assertThat(scope.shareSize(2)).isEqualTo(40);
    }

    @Test
    void theFirstAttemptAndJobRetryAllRunEverythingWithoutAsking() {
        assertThat(JobRetryPlan.looksForRecord(attempt(0, true))).isFalse();
        assertThat(JobRetryPlan.looksForRecord(attempt(1, false))).isFalse();
        assertThat(JobRetryPlan.looksForRecord(attempt(1, true))).isTrue();
        JobScope first = JobRetryPlan.withoutRecord(attempt(0, true), SHARE);
        assertThat(first.notice()).isEmpty();
        assertThat(first.ran(40)).isEqualTo("job attempt 0: ran all 40 tests of this node");
        assertThat(first.shareSize(40)).isEqualTo(40);
        assertThat(reason(JobRetryPlan.decide(attempt(1, false), HERE, SHARE,
                found(new FailureRecord.Listed(HERE, 40, FAILED))))).isEqualTo("BUILDKITE_TEST_ENGINE_JOB_RETRY is all");
    }

    @Test
    void everyOtherAnswerRunsTheWholeShareWithItsReason() {
        Config.JobAttempt retried = attempt(1, true);
        assertThat(reason(JobRetryPlan.decide(retried, HERE, SHARE, new JobRetryPlan.Absent())))
                .isEqualTo("attempt 0 left no record of failed tests (it passed, was cancelled, or did not record)");
        assertThat(reason(JobRetryPlan.decide(retried, HERE, SHARE, new JobRetryPlan.Unanswered("agent down"))))
                .isEqualTo("could not read attempt 0's record of failed tests (agent down)");
        assertThat(reason(JobRetryPlan.decide(retried, HERE, SHARE, new JobRetryPlan.Found("garbage"))))
                .isEqualTo("attempt 0's record of failed tests is unreadable (meta-data bktec-failed-tests:step-1:1:0)");
        assertThat(reason(JobRetryPlan.decide(retried, HERE, SHARE,
                found(new FailureRecord.TooMany(HERE, 40, 12345)))))
                .isEqualTo("attempt 0 left 12,345 tests failing or unrun, too many to record in build meta-data "
                        + "(100 KB at most)");
        JobScope whole = JobRetryPlan.decide(retried, HERE, SHARE, new JobRetryPlan.Absent());
        assertThat(whole.notice()).contains("job attempt 1 (BUILDKITE_RETRY_COUNT=1) runs this node's whole share: "
                + "attempt 0 left no record of failed tests (it passed, was cancelled, or did not record)");
        assertThat(whole.ran(1)).startsWith("job attempt 1 (BUILDKITE_RETRY_COUNT=1): ran all 1 test of this node (");
    }

    @Test
    void aRecordForAnotherShareDoesNotApplyAndSaysHowItDiffers() {
        Config.JobAttempt retried = attempt(1, true);
        List<NodeShare> others = List.of(NodeShare.of("step-2", 1, 2, SHARE), NodeShare.of("step-1", 0, 2, SHARE),
                NodeShare.of("step-1", 1, 3, SHARE), NodeShare.of("step-1", 1, 2, List.of("tests/test_a.py")));
        List<String> why = others.stream().map(other -> reason(JobRetryPlan.decide(retried, HERE, SHARE,
                found(new FailureRecord.Listed(other, 40, FAILED))))).toList();
        assertThat(why).containsExactly(
                "attempt 0's record of failed tests does not apply: it was written by step step-2, not this step (step-1)",
                "attempt 0's record of failed tests does not apply: it was written by parallel job 0, not this one (1)",
                "attempt 0's record of failed tests does not apply: it was written at parallelism 3, and this job's is 2",
                "attempt 0's record of failed tests does not apply: this job's plan gives it other tests (the test files "
                        + "changed)");
    }

    @Test
    void theShareDigestIgnoresOrderButNotContent() {
        assertThat(NodeShare.of("s", 0, 1, List.of("b.py", "a.py"))).isEqualTo(NodeShare.of("s", 0, 1, List.of("a.py", "b.py")));
        assertThat(NodeShare.of("s", 0, 1, List.of("a.py", "b.py")).planDigest())
                .isNotEqualTo(NodeShare.of("s", 0, 1, List.of("a.py\nb.py")).planDigest())
                .isNotEqualTo(NodeShare.of("s", 0, 1, List.of("a.py")).planDigest());
        assertThat(JobRetryPlan.key("step-1", 3, 0)).isEqualTo("bktec-failed-tests:step-1:3:0");
        assertThat(HERE.mismatch(HERE)).isEmpty();
    }
}
