package io.bktec.e2e;

import io.bktec.api.FakeTestEngine;
import io.bktec.api.FakeTestEngine.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Buildkite job retried (BUILDKITE_RETRY_COUNT ≥ 1) in local mode reruns only what the attempt before it left
 * failing on its node, through the stand-in agent's build meta-data; and an attempt that failed too widely is not
 * retried test by test (BUILDKITE_TEST_ENGINE_RETRY_MAX_FAILURES).
 */
class JobRetryIT {
    private static final String STUBS = Bktec.TESTDATA.resolve("stubs").toString();
    private static final List<String> BROKEN = List.of("tests/test_b.py::test_case[3]", "tests/test_c.py::test_case[7]",
            "tests/test_d.py::test_case[9]");

    @TempDir
    Path tmp;

    /** One job of step-1 in build-1: attempt {@code attempt} of parallel job {@code index} of {@code parallelism}. */
    private Bktec job(int attempt, int index, int parallelism) {
        return Bktec.in("job-retry").env("NO_COLOR", "1").env("BUILDKITE_BUILD_ID", "build-1")
                .env("BUILDKITE_STEP_ID", "step-1").env("BUILDKITE_JOB_ID", "job-" + index + "-" + attempt)
                .env("BUILDKITE_RETRY_COUNT", Integer.toString(attempt))
                .env("BUILDKITE_PARALLEL_JOB", Integer.toString(index))
                .env("BUILDKITE_PARALLEL_JOB_COUNT", Integer.toString(parallelism))
                .env("STUB_AGENT_STORE", tmp.resolve("store").toString())
                .env("STUB_AGENT_LOG", tmp.resolve("agent.log").toString())
                .env("JOB_RETRY_MARKER", tmp.resolve("service-is-up").toString())
                .env("JOB_RETRY_RUN_LOG", tmp.resolve("ran.log").toString())
                .env("PATH", STUBS + ":" + System.getenv("PATH"))
                .args("run", "--test-file-pattern", "tests/**/test_*.py");
    }

    /** The tests that ran since the last call, as the tests themselves logged them. */
    private List<String> ranSinceLastAsked() throws IOException {
        Path log = tmp.resolve("ran.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        List<String> ran = Files.readAllLines(log);
        Files.delete(log);
        return ran;
    }

    private void serviceBack(String... onlyFor) throws IOException {
        Files.writeString(tmp.resolve("service-is-up"), String.join("\n", onlyFor));
    }

    @Test
    void aRetriedJobRunsOnlyTheTestsItsPreviousAttemptLeftFailingAndSaysSo() throws Exception {
        Bktec.Result first = job(0, 0, 1).env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").run();
        assertThat(first.exitCode()).as(first.all()).isEqualTo(1);
        assertThat(ranSinceLastAsked()).hasSize(40 + 3); // bktec's own retry ran the three again
        assertThat(first.all()).contains("recorded the 3 tests left failing or unrun for a retry of this job "
                + "(build meta-data bktec-failed-tests:step-1:0:0)")
                .contains("Job attempt 0: ran all 40 tests of this node");

        serviceBack();
        Bktec.Result retried = job(1, 0, 1).env("BUILDKITE_TEST_ENGINE_ANNOTATE", "true").run();
        assertThat(retried.exitCode()).as(retried.all()).isZero();
        assertThat(ranSinceLastAsked()).containsExactlyInAnyOrderElementsOf(BROKEN);
        assertThat(retried.all()).contains("job attempt 1 (BUILDKITE_RETRY_COUNT=1) reruns only the 3 of 40 tests that "
                        + "attempt 0 left failing or unrun on this node (BUILDKITE_TEST_ENGINE_JOB_RETRY=all runs them all)")
                .contains("Job attempt 1 (BUILDKITE_RETRY_COUNT=1): ran 3 of 40 tests, those attempt 0 left failing "
                        + "or unrun");
        assertThat(Files.readString(tmp.resolve("agent.log.annotation")))
                .contains("Job attempt 1 (BUILDKITE_RETRY_COUNT=1): ran 3 of 40 tests");
        // The notice comes before any test runs.
        assertThat(retried.all().indexOf("reruns only the 3 of 40")).isLessThan(retried.all().indexOf("test_case"));
    }

    @Test
    void aRedRetriedJobRecordsWhatItStillFailedSoTheNextAttemptRerunsFewer() throws Exception {
        assertThat(job(0, 0, 1).run().exitCode()).isEqualTo(1);
        ranSinceLastAsked();
        serviceBack("test_b");
        Bktec.Result second = job(1, 0, 1).run();
        assertThat(second.exitCode()).as(second.all()).isEqualTo(1);
        assertThat(ranSinceLastAsked()).containsExactlyInAnyOrderElementsOf(BROKEN);
        assertThat(second.all()).contains("recorded the 2 tests left failing or unrun");

        serviceBack();
        Bktec.Result third = job(2, 0, 1).run();
        assertThat(third.exitCode()).as(third.all()).isZero();
        assertThat(ranSinceLastAsked()).containsExactlyInAnyOrderElementsOf(BROKEN.subList(1, 3));
        assertThat(third.all()).contains("Job attempt 2 (BUILDKITE_RETRY_COUNT=2): ran 2 of 40 tests, those attempt 1 "
                + "left failing or unrun");
    }

    @Test
    void withParallelismEachNodeRerunsOnlyItsOwnFailures() throws Exception {
        Map<Integer, List<String>> failedOn = new LinkedHashMap<>();
        for (int node = 0; node < 2; node++) {
            Bktec.Result first = job(0, node, 2).run();
            List<String> ran = ranSinceLastAsked();
            assertThat(ran).hasSizeLessThan(40);
            failedOn.put(node, BROKEN.stream().filter(ran::contains).toList());
            assertThat(first.exitCode()).as(first.all()).isEqualTo(failedOn.get(node).isEmpty() ? 0 : 1);
        }
        assertThat(failedOn.values().stream().mapToInt(List::size).sum()).isEqualTo(3);
        assertThat(failedOn.values()).allSatisfy(broken -> assertThat(broken).isNotEmpty());
        serviceBack();
        for (int node = 0; node < 2; node++) {
            Bktec.Result retried = job(1, node, 2).run();
            assertThat(retried.exitCode()).as(retried.all()).isZero();
            assertThat(ranSinceLastAsked()).as("node " + node).containsExactlyInAnyOrderElementsOf(failedOn.get(node));
        }
    }

    @Test
    void withJobRetryAllARetriedJobRunsEverything() throws Exception {
        assertThat(job(0, 0, 1).run().exitCode()).isEqualTo(1);
        ranSinceLastAsked();
        serviceBack();
        Bktec.Result all = job(1, 0, 1).env("BUILDKITE_TEST_ENGINE_JOB_RETRY", "all").run();
        assertThat(all.exitCode()).as(all.all()).isZero();
        assertThat(ranSinceLastAsked()).hasSize(40);
        assertThat(all.all()).contains("job attempt 1 (BUILDKITE_RETRY_COUNT=1) runs this node's whole share: "
                + "BUILDKITE_TEST_ENGINE_JOB_RETRY is all");
        assertThat(Files.readString(tmp.resolve("agent.log"))).doesNotContain("meta-data get");
        Bktec.Result badMode = job(1, 0, 1).args("--job-retry", "some").run();
        assertThat(badMode.exitCode()).isEqualTo(16);
        assertThat(badMode.stderr().strip()).contains("some").contains("must be failed or all").doesNotContain("\tat ");
    }

    @Test
    void aRecordOfAnotherStepIndexOrParallelismOrOtherFilesOrCorruptedRunsEverythingWithTheReason() throws Exception {
        assertThat(job(0, 0, 1).run().exitCode()).isEqualTo(1);
        serviceBack();
        Map<Bktec, String> cases = new LinkedHashMap<>();
        cases.put(job(1, 0, 1).env("BUILDKITE_STEP_ID", "step-2"), "attempt 0 left no record of failed tests");
        cases.put(job(1, 1, 2), "attempt 0 left no record of failed tests");
        cases.put(job(1, 0, 2), "attempt 0's record of failed tests does not apply: it was written at parallelism 1, "
                + "and this job's is 2");
        cases.put(job(1, 0, 1).args("--test-file-exclude-pattern", "tests/test_a.py"),
                "attempt 0's record of failed tests does not apply: this job's plan gives it other tests");
        for (Map.Entry<Bktec, String> each : cases.entrySet()) {
            ranSinceLastAsked();
            Bktec.Result r = each.getKey().run();
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.all()).contains(each.getValue()).contains("runs this node's whole share");
            assertThat(ranSinceLastAsked()).hasSizeGreaterThan(3);
        }
        Path record = tmp.resolve("store/build-1/meta-data/bktec-failed-tests:step-1:0:0");
        Files.writeString(record, Files.readString(record).substring(0, 30));
        Bktec.Result corrupted = job(1, 0, 1).run();
        assertThat(corrupted.exitCode()).as(corrupted.all()).isZero();
        assertThat(ranSinceLastAsked()).hasSize(40);
        assertThat(corrupted.all()).contains("attempt 0's record of failed tests is unreadable (meta-data "
                + "bktec-failed-tests:step-1:0:0)");
    }

    @Test
    void anAgentThatFailsOrIsMissingRunsEverythingInOneLineNeverAStack() throws Exception {
        assertThat(job(0, 0, 1).run().exitCode()).isEqualTo(1);
        ranSinceLastAsked();
        serviceBack();
        Bktec.Result failing = job(1, 0, 1).env("STUB_AGENT_FAIL", "meta-data get").run();
        assertThat(failing.exitCode()).as(failing.all()).isZero();
        assertThat(ranSinceLastAsked()).hasSize(40);
        assertThat(failing.all()).contains("runs this node's whole share: could not read attempt 0's record of failed "
                + "tests (buildkite-agent meta-data get failed (exit status 1): fatal: failed to meta-data get")
                .doesNotContain("Exception").doesNotContain("\tat ");

        String withoutAgent = Bktec.pathWithout("buildkite-agent");
        Files.delete(tmp.resolve("service-is-up"));
        Bktec.Result missing = job(1, 0, 1).env("PATH", withoutAgent).run();
        assertThat(missing.exitCode()).as(missing.all()).isEqualTo(1);
        assertThat(ranSinceLastAsked()).hasSize(40);
        assertThat(missing.all()).contains("runs this node's whole share: could not read attempt 0's record of failed "
                        + "tests (buildkite-agent is not on PATH)")
                .contains("could not record the failed tests for a retry of this job, which will run everything: "
                        + "buildkite-agent is not on PATH")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void anAttemptWithMoreFailuresThanTheLimitIsNotRetriedAndOneWithFewIs() throws Exception {
        Bktec.Result broken = Bktec.in("job-retry").env("NO_COLOR", "1").env("MANY_FAILING", "500")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "2")
                .args("run", "--test-file-pattern", "many/test_*.py", "--retry-max-failures=10%").run();
        assertThat(broken.exitCode()).as(broken.all()).isEqualTo(1);
        assertThat(broken.all()).contains("500 tests failed, more than the 10 % limit: not retrying")
                .contains("(1 attempt)")
                .contains("exit status 1: 500 tests failed (not retried: 500 tests failed, more than the 10 % limit)");

        Bktec.Result few = Bktec.in("job-retry").env("NO_COLOR", "1").env("MANY_FAILING", "5")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "2")
                .env("BUILDKITE_TEST_ENGINE_RETRY_MAX_FAILURES", "10%")
                .args("run", "--test-file-pattern", "many/test_*.py").run();
        assertThat(few.exitCode()).as(few.all()).isEqualTo(1);
        assertThat(few.all()).contains("(3 attempts)").doesNotContain("not retrying");

        Bktec.Result bad = Bktec.in("job-retry").args("run", "--retry-max-failures", "ten").run();
        assertThat(bad.exitCode()).isEqualTo(16);
        assertThat(bad.stderr()).contains("\"ten\"").contains("a percentage such as 10%").doesNotContain("\tat ");
    }

    @Test
    void inApiModeTheServersPlanStands() throws Exception {
        assertThat(job(0, 0, 1).run().exitCode()).isEqualTo(1);
        ranSinceLastAsked();
        Files.delete(tmp.resolve("agent.log"));
        serviceBack();
        try (FakeTestEngine server = new FakeTestEngine()) {
            Map<String, List<String>> tasks = new LinkedHashMap<>();
            tasks.put("0", List.of("tests/test_a.py", "tests/test_b.py", "tests/test_c.py", "tests/test_d.py"));
            server.on("GET test_plan", Reply.json(200, FakeTestEngine.plan("build-1/step-1", tasks, List.of(), List.of())))
                    .on("POST test_plan_metadata", Reply.json(200, "{\"head\":\"no_content\"}"));
            Bktec.Result api = job(1, 0, 1).env("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "py")
                    .env("BUILDKITE_ORGANIZATION_SLUG", "acme")
                    .env("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", "bkua_api_token_for_job_retry")
                    .env("BUILDKITE_TEST_ENGINE_BASE_URL", server.baseUrl()).run();
            assertThat(api.exitCode()).as(api.all()).isZero();
            assertThat(ranSinceLastAsked()).hasSize(40);
            assertThat(api.all()).doesNotContain("job attempt").doesNotContain("Job attempt");
            assertThat(tmp.resolve("agent.log")).doesNotExist();
        }
    }
}
