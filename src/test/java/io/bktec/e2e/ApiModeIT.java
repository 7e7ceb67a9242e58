package io.bktec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bktec.api.FakeTestEngine;
import io.bktec.api.FakeTestEngine.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `bktec run` and `bktec plan` in API mode against the fake Test Engine, with real pytest. */
class ApiModeIT {
    private static final String TOKEN = "bkua_SENTINEL_api_token_4f2a";
    private static final String AGENT_TOKEN = "SENTINEL_agent_token_77c1";
    private static final String UPLOAD_TOKEN = "SENTINEL_upload_token_9d3e";
    private final FakeTestEngine server = new FakeTestEngine();

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        server.close();
    }

    private Bktec api(String suite) {
        return Bktec.in(suite).env("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "py").env("BUILDKITE_ORGANIZATION_SLUG", "acme")
                .env("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", TOKEN).env("BUILDKITE_TEST_ENGINE_BASE_URL", server.baseUrl())
                .env("BUILDKITE_BUILD_ID", "b1").env("BUILDKITE_STEP_ID", "s1").env("BUILDKITE_AGENT_ACCESS_TOKEN", AGENT_TOKEN)
                .env("BUILDKITE_ANALYTICS_TOKEN", UPLOAD_TOKEN).env("FLAKY_STATE_DIR", tmp.toString());
    }

    private static Map<String, List<String>> oneNode(String... tests) {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        tasks.put("0", List.of(tests));
        return tasks;
    }

    @Test
    void mutedFailureDoesNotFailTheBuildAndIsListed() throws Exception {
        server.on("GET test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1",
                oneNode("tests/test_flaky.py", "tests/test_steady.py"),
                List.<String[]>of(new String[]{"tests.test_flaky", "test_flaky_once"}), List.of())))
                .on("POST test_plan_metadata", Reply.json(200, "{\"head\":\"no_content\"}"));
        Bktec.Result r = api("flaky").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Muted tests (failures do not fail the build):")
                .contains("tests/test_flaky.py::test_flaky_once (failed)")
                .contains("Muted (failed)            1");
        assertThat(server.received("POST test_plan")).isEmpty();
        JsonNode metadata = new ObjectMapper().readTree(server.received("POST test_plan_metadata").get(0).body());
        assertThat(metadata.path("statistics").path("muted_failed").asInt()).isEqualTo(1);
        assertThat(metadata.path("statistics").path("total").asInt()).isEqualTo(3);
        assertThat(metadata.path("timeline").findValuesAsText("event")).containsExactly("test_start", "test_end");
    }

    @Test
    void aMutedTestThatNeverRanIsReportedAsNeverRanNotAsAMutedFailure() throws Exception {
        server.on("GET test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1",
                        oneNode("tests/test_other.py", "tests/test_stop.py"),
                        List.<String[]>of(new String[]{"tests.test_stop", "test_first"},
                                new String[]{"tests.test_stop", "test_second"}), List.of())))
                .on("POST test_plan_metadata", Reply.json(200, "{\"head\":\"no_content\"}"));
        Bktec.Result r = api("early-stop").env("EARLY_STOP_MODE", "exit0").env("EARLY_STOP_STATE_DIR", tmp.toString())
                .env("NO_COLOR", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("Muted (failed)            1")
                .contains("tests/test_stop.py::test_first (failed)")
                .doesNotContain("test_second (failed)")
                .contains("2 tests never ran:\n  - tests/test_stop.py::test_second").contains("  - tests/test_stop.py::test_third")
                .contains("exit status 1: 2 tests never ran");
    }

    @Test
    void mutedTestsAreNotRetriedByDefaultButAreWithDisableRetryFalse() throws Exception {
        server.on("GET test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1", oneNode("tests/test_flaky.py"),
                List.<String[]>of(new String[]{"tests.test_flaky", "test_flaky_once"}), List.of())));
        Bktec.Result noRetry = api("flaky").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "2").args("run").run();
        assertThat(noRetry.exitCode()).as(noRetry.all()).isZero();
        assertThat(noRetry.stdout()).doesNotContain("retry 1 of 2");
        Path fresh = java.nio.file.Files.createDirectories(tmp.resolve("fresh"));
        Bktec.Result retry = api("flaky").env("FLAKY_STATE_DIR", fresh.toString())
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "2")
                .env("BUILDKITE_TEST_ENGINE_DISABLE_RETRY_FOR_MUTED_TEST", "false").args("run").run();
        assertThat(retry.exitCode()).as(retry.all()).isZero();
        assertThat(retry.stdout()).contains("retry 1 of 2: 1 failed test");
    }

    @Test
    void skippedTestsAreNotRunAndAreListed() throws Exception {
        server.on("GET test_plan", Reply.json(404, "{\"message\":\"no plan\"}"))
                .on("POST filter_tests", Reply.json(200, "{\"tests\":[{\"path\":\"tests/test_flaky.py\"}]}"))
                .on("POST test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1",
                        oneNode("tests/test_flaky.py::test_stable", "tests/test_steady.py"), List.of(),
                        List.of("tests/test_flaky.py::test_flaky_once"))));
        Bktec.Result r = api("flaky").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(RunPytestIT.filesRun(r.stdout())).containsExactly("tests/test_steady.py");
        assertThat(r.stdout()).contains("tests/test_flaky.py::test_stable")
                .contains("Skipped by Test Engine:").contains("  - tests/test_flaky.py::test_flaky_once");
        // bktec expanded the file the server asked for with pytest --collect-only
        JsonNode post = new ObjectMapper().readTree(server.received("POST test_plan").get(0).body());
        assertThat(post.path("tests").path("examples").findValuesAsText("identifier"))
                .containsExactly("tests/test_flaky.py::test_stable", "tests/test_flaky.py::test_flaky_once");
        assertThat(post.path("tests").path("selectors").findValuesAsText("value")).containsExactly("tests/test_steady.py");
    }

    @Test
    void everyNodeOfAThreeNodePlanRunsExactlyItsTask() throws Exception {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        tasks.put("0", List.of("tests/test_params.py", "tests/pkg/helpers_test.py"));
        tasks.put("1", List.of("tests/test_basic.py"));
        tasks.put("2", List.of("tests/test_classes.py", "tests/api.v2/test_dotted.py", "tests/test_spans.py"));
        server.on("GET test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1", tasks, List.of(), List.of())));
        for (int node = 0; node < 3; node++) {
            Bktec.Result r = api("sample").env("BUILDKITE_PARALLEL_JOB_COUNT", "3")
                    .env("BUILDKITE_PARALLEL_JOB", Integer.toString(node)).args("run").run();
            assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
            assertThat(RunPytestIT.filesRun(r.stdout())).containsExactlyElementsOf(tasks.get(Integer.toString(node)));
        }
    }

    @Test
    void serverErrorsAreRetriedThenTheAnswerIsUsed() throws Exception {
        server.on("GET test_plan", Reply.json(500, "{\"message\":\"oops\"}"),
                Reply.json(200, FakeTestEngine.plan("b1/s1", oneNode("tests/test_steady.py"), List.of(), List.of())));
        Bktec.Result r = api("flaky").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(server.received("GET test_plan")).hasSize(2);
        assertThat(r.stderr()).contains("attempt 1 failed: HTTP 500").contains("retrying (attempt 2)");
        assertThat(RunPytestIT.filesRun(r.stdout())).containsExactly("tests/test_steady.py");
    }

    @Test
    void anUnreachableApiPastTheBudgetFallsBackAndTestsStillRun() throws Exception {
        server.on("GET test_plan", Reply.json(503, "{}").after(java.time.Duration.ofMillis(200)));
        Bktec.Result r = api("flaky").env("BUILDKITE_TEST_ENGINE_API_RETRY_BUDGET", "2s")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).contains("Timeout").contains("Falling back to splitting locally");
        assertThat(RunPytestIT.filesRun(r.stdout())).contains("tests/test_flaky.py", "tests/test_steady.py");
        assertThat(server.received("POST test_plan_metadata")).isEmpty();
    }

    @Test
    void authenticationFailureIsExit16WithTheServerMessage() throws Exception {
        server.on("GET test_plan", Reply.json(401, "{\"message\":\"Authentication required. Please supply a valid API Access Token.\"}"));
        Bktec.Result r = api("flaky").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(16);
        assertThat(r.stderr()).contains("❌ Authentication Failed: Authentication required.");
        assertThat(RunPytestIT.filesRun(r.stdout())).isEmpty();
    }

    @Test
    void forbiddenIsExit16() throws Exception {
        server.on("GET test_plan", Reply.json(403, "{\"message\":\"Forbidden suite\"}"));
        Bktec.Result r = api("flaky").args("run").run();
        assertThat(r.exitCode()).isEqualTo(16);
        assertThat(r.stderr()).contains("❌ Access Denied: Forbidden suite");
    }

    @Test
    void noTokenAppearsInAnyOutputEvenWithDebug() throws Exception {
        server.on("GET test_plan", Reply.json(500, "{\"message\":\"echo " + TOKEN + "\"}"),
                Reply.json(200, FakeTestEngine.plan("b1/s1", oneNode("tests/test_steady.py"), List.of(), List.of())));
        Bktec.Result r = api("flaky").env("BUILDKITE_TEST_ENGINE_DEBUG_ENABLED", "true").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("debug").contains("request: GET");
        assertThat(r.all()).doesNotContain(TOKEN).doesNotContain(AGENT_TOKEN).doesNotContain(UPLOAD_TOKEN)
                .contains("[REDACTED]");
        // and the server did receive it
        assertThat(server.received().get(0).headers().get("authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void planJsonPutsOnlyJsonOnStdout() throws Exception {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        tasks.put("0", List.of("tests/test_flaky.py"));
        tasks.put("1", List.of("tests/test_steady.py"));
        server.on("POST filter_tests", Reply.json(200, "{\"tests\":[]}"))
                .on("POST test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1", tasks, List.of(), List.of())));
        Bktec.Result r = api("flaky").env("BUILDKITE_TEST_ENGINE_DEBUG_ENABLED", "true").args("plan", "--json").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.stdout());
        assertThat(json.path("BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER").asText()).isEqualTo("b1/s1");
        assertThat(json.path("BUILDKITE_TEST_ENGINE_PARALLELISM").asText()).isEqualTo("2");
        assertThat(r.stdout().strip().lines()).hasSize(1);
        assertThat(server.received("GET test_plan")).isEmpty();
    }

    @Test
    void planOutWritesThePlanAndWorksInLocalModeToo() throws Exception {
        Bktec.Result r = Bktec.in("sample").env("BUILDKITE_PARALLEL_JOB_COUNT", "3").args("plan", "--plan-out", "-").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode plan = new ObjectMapper().readTree(r.stdout());
        assertThat(plan.path("tasks").size()).isEqualTo(3);
        List<String> all = new ArrayList<>();
        plan.path("tasks").forEach(task -> all.addAll(task.path("tests").findValuesAsText("path")));
        assertThat(all).hasSize(10).doesNotHaveDuplicates();
        assertThat(plan.path("local").asBoolean()).isTrue();
    }

    @Test
    void planNeedsExactlyOneOutput() throws Exception {
        Bktec.Result none = Bktec.in("flaky").args("plan").run();
        assertThat(none.exitCode()).isEqualTo(16);
        assertThat(none.stderr()).contains("exactly one of --json, --plan-out or --pipeline-upload");
        Bktec.Result two = Bktec.in("flaky").args("plan", "--json", "--plan-out", "-").run();
        assertThat(two.exitCode()).isEqualTo(16);
    }

    private static final String STUBS = Bktec.TESTDATA.resolve("stubs").toString();

    @Test
    void aMissingTokenIsMintedWithTheAgentAndNeverPrinted() throws Exception {
        String minted = "SENTINEL_oidc_minted_5b1c";
        Path log = tmp.resolve("agent.log");
        server.on("GET test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1", oneNode("tests/test_steady.py"), List.of(), List.of())));
        Bktec.Result r = api("flaky").env("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", "").env("STUB_OIDC_TOKEN", minted)
                .env("STUB_AGENT_LOG", log.toString()).env("PATH", STUBS + ":" + System.getenv("PATH"))
                .env("BUILDKITE_TEST_ENGINE_DEBUG_ENABLED", "true").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(server.received().get(0).headers().get("authorization")).isEqualTo("Bearer " + minted);
        assertThat(r.all()).doesNotContain(minted);
        assertThat(java.nio.file.Files.readString(log)).isEqualTo("oidc request-token --audience " + server.baseUrl()
                + "/v2/analytics/organizations/acme/suites/py --lifetime 7200\n");
    }

    @Test
    void pipelineUploadHandsThePlanToTheAgent() throws Exception {
        Path log = tmp.resolve("agent.log");
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_PARALLEL_JOB_COUNT", "2").env("STUB_AGENT_LOG", log.toString())
                .env("BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER", "my-plan")
                .args("plan", "--pipeline-upload", "pipeline.yml", "--buildkite-agent-command", STUBS + "/buildkite-agent").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("uploaded pipeline.yml with BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER=my-plan "
                + "BUILDKITE_TEST_ENGINE_PARALLELISM=2");
    }

    @Test
    void missingTokenWithoutAnAgentIsAClearConfigError() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "py").env("BUILDKITE_ORGANIZATION_SLUG", "acme")
                .env("BUILDKITE_BUILD_ID", "b1").env("BUILDKITE_STEP_ID", "s1").env("PATH", "/usr/bin:/bin")
                .args("run", "--buildkite-agent-command", "no-such-buildkite-agent").run();
        assertThat(r.exitCode()).isEqualTo(16);
        assertThat(r.stderr()).contains("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN must not be blank (and no OIDC token could be minted");
    }
}
