package io.bktec.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bktec.api.FakeTestEngine.Reply;
import io.bktec.plan.LocationPrefix;
import io.bktec.plan.TestCase;
import io.bktec.plan.TestPlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Contract tests: the exact requests bktec-java sends to a (fake) Test Engine, and what it does with the answers. */
class ApiPlanSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("tests/test_b.py", "tests/test_a.py", "tests/test_c.py");
    private final FakeTestEngine server = new FakeTestEngine();
    private final List<String> warnings = new ArrayList<>();
    private final List<List<String>> expanded = new ArrayList<>();

    @AfterEach
    void stop() {
        server.close();
    }

    private ApiPlanSource source(String prefix, Duration budget) {
        return source(prefix, budget, false);
    }

    private ApiPlanSource source(String prefix, Duration budget, boolean tagFiltered) {
        RetryingCaller caller = new RetryingCaller(Duration.ofSeconds(5), budget, Schedulers.parallel(), () -> 0.0, w -> { });
        TestEngineClient client = new TestEngineClient(new NettyTransport(), caller, server.baseUrl() + "/", "acme org",
                "py-suite", "sentinel-token-abc", "Buildkite Test Engine Client/v0.1.0 (bktec-java; linux/amd64)", d -> { });
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("BUILDKITE_BUILD_ID", "b1");
        env.put("BUILDKITE_PARALLEL_JOB_COUNT", 2);
        ApiPlanSource.Settings settings = new ApiPlanSource.Settings("pytest", "b1/s1", 1, 2, 0, 0, "main",
                new LocationPrefix(prefix), false, tagFiltered, env);
        return new ApiPlanSource(client, settings, files -> {
            expanded.add(files);
            List<String> ids = new ArrayList<>();
            files.forEach(f -> {
                ids.add(f + "::test_one");
                ids.add(f + "::TestK::test_two");
            });
            return Mono.just(ids);
        }, warnings::add, d -> { });
    }

    private ApiPlanSource source() {
        return source("", Duration.ofSeconds(20));
    }

    private static List<String> paths(TestPlan plan, int node) {
        return plan.taskFor(node).tests().stream().map(TestCase::runnable).toList();
    }

    private static String twoNodePlan() {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        tasks.put("0", List.of("tests/test_a.py", "tests/test_c.py"));
        tasks.put("1", List.of("tests/test_b.py"));
        return FakeTestEngine.plan("b1/s1", tasks, List.<String[]>of(new String[]{"tests/test_a.py", "test_muted"}),
                List.of("tests/test_c.py::test_skipped"));
    }

    @Test
    void withATagFilterEveryFileIsExpandedAndOnlyTheChosenTestsAreSentWithoutFilterTests() throws Exception {
        server.on("GET test_plan", Reply.json(404, "{\"message\":\"Not found\"}"))
                .on("POST test_plan", Reply.json(200, twoNodePlan()));
        source("", Duration.ofSeconds(20), true).plan(FILES).block();
        assertThat(server.received()).extracting(FakeTestEngine.Received::route)
                .containsExactly("GET test_plan", "POST test_plan");
        assertThat(expanded).containsExactly(FILES);
        JsonNode tests = JSON.readTree(server.received("POST test_plan").get(0).body()).path("tests");
        assertThat(tests.has("selectors")).isFalse();
        assertThat(tests.path("examples").findValuesAsText("identifier")).hasSize(6)
                .contains("tests/test_b.py::test_one", "tests/test_c.py::TestK::test_two");
    }

    @Test
    void withATagFilterTheFallbackDealsTheChosenTestsNotEveryFile() {
        server.on("GET test_plan", Reply.json(503, "{}"));
        TestPlan plan = source("", Duration.ofMillis(1), true).plan(FILES).block();
        assertThat(plan.local()).isTrue();
        assertThat(paths(plan, 0)).containsExactly("tests/test_a.py::TestK::test_two", "tests/test_b.py::TestK::test_two",
                "tests/test_c.py::TestK::test_two");
        assertThat(paths(plan, 1)).containsExactly("tests/test_a.py::test_one", "tests/test_b.py::test_one",
                "tests/test_c.py::test_one");
        assertThat(warnings).anyMatch(w -> w.contains("the tagged tests"));
    }

    @Test
    void thePlanCommandGetsTheServersAnswerAsItCame() {
        String answer = twoNodePlan().replaceFirst("\\{", "{\"unknown_key\": {\"kept\": [1.50, \"\\u00e9\"]}, ");
        server.on("POST filter_tests", Reply.json(200, "{\"tests\":[]}")).on("POST test_plan", Reply.json(200, answer));
        ApiPlanSource.CreatedPlan created = source().createForPlanCommand(FILES, 3).block();
        assertThat(created.received()).contains(answer);
        assertThat(created.plan().nodeCount()).isEqualTo(2);
    }

    @Test
    void cachedPlanIsUsedWithoutAPostAndTheGetIsWellFormed() throws Exception {
        server.on("GET test_plan", Reply.json(200, twoNodePlan()));
        TestPlan plan = source().plan(FILES).block();
        assertThat(plan.local()).isFalse();
        assertThat(paths(plan, 0)).containsExactly("tests/test_a.py", "tests/test_c.py");
        assertThat(paths(plan, 1)).containsExactly("tests/test_b.py");
        assertThat(plan.mutedTests()).containsExactly("tests/test_a.py/test_muted");
        assertThat(plan.skippedTests()).extracting(TestCase::path).containsExactly("tests/test_c.py::test_skipped");
        assertThat(server.received()).extracting(FakeTestEngine.Received::route).containsExactly("GET test_plan");
        FakeTestEngine.Received get = server.received().get(0);
        assertThat(get.uri()).isEqualTo("/v2/analytics/organizations/acme%20org/suites/py-suite/test_plan"
                + "?identifier=b1%2Fs1&job_retry_count=1");
        assertThat(get.headers()).containsEntry("authorization", "Bearer sentinel-token-abc")
                .containsEntry("content-type", "application/json");
        assertThat(get.headers().get("user-agent")).contains("bktec-java").contains("v0.1.0");
    }

    @Test
    void notCachedMeansFilterThenPostInBktecV3Shape() throws Exception {
        server.on("GET test_plan", Reply.json(404, "{\"message\":\"Not found\"}"))
                .on("POST filter_tests", Reply.json(200, "{\"tests\":[{\"path\":\"tests/test_c.py\",\"reason\":\"skip\"}]}"))
                .on("POST test_plan", Reply.json(200, twoNodePlan()));
        TestPlan plan = source().plan(FILES).block();
        assertThat(plan.local()).isFalse();
        assertThat(server.received()).extracting(FakeTestEngine.Received::route)
                .containsExactly("GET test_plan", "POST filter_tests", "POST test_plan");
        JsonNode filter = JSON.readTree(server.received("POST filter_tests").get(0).body());
        assertThat(filter.path("files").findValuesAsText("path")).containsExactly("tests/test_b.py", "tests/test_a.py",
                "tests/test_c.py");
        assertThat(filter.path("env").path("BUILDKITE_PARALLEL_JOB_COUNT").asInt()).isEqualTo(2);
        JsonNode post = JSON.readTree(server.received("POST test_plan").get(0).body());
        assertThat(post.path("runner").asText()).isEqualTo("pytest");
        assertThat(post.path("identifier").asText()).isEqualTo("b1/s1");
        assertThat(post.path("parallelism").asInt()).isEqualTo(2);
        assertThat(post.path("branch").asText()).isEqualTo("main");
        assertThat(post.has("max_parallelism")).isFalse();
        assertThat(post.has("location_prefix")).isFalse();
        assertThat(post.path("tests").has("files")).isFalse();
        assertThat(post.path("tests").path("selectors").findValuesAsText("value"))
                .containsExactly("tests/test_b.py", "tests/test_a.py");
        assertThat(expanded).containsExactly(List.of("tests/test_c.py"));
        JsonNode example = post.path("tests").path("examples").get(1);
        assertThat(example.path("format").asText()).isEqualTo("example");
        assertThat(example.path("identifier").asText()).isEqualTo("tests/test_c.py::TestK::test_two");
        assertThat(example.path("path").asText()).isEqualTo("tests/test_c.py::TestK::test_two");
        assertThat(example.path("scope").asText()).isEqualTo("tests/test_c.py::TestK");
        assertThat(example.path("name").asText()).isEqualTo("test_two");
    }

    @Test
    void locationPrefixIsSentSeparatelyAndStrippedFromTasks() throws Exception {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        tasks.put("0", List.of("svc/tests/test_a.py", "svc/tests/test_c.py::test_one"));
        server.on("GET test_plan", Reply.json(404, "{}"))
                .on("POST filter_tests", Reply.json(200, "{\"tests\":[{\"path\":\"svc/tests/test_c.py\"}]}"))
                .on("POST test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1", tasks, List.of(), List.of())));
        TestPlan plan = source("svc/", Duration.ofSeconds(20)).plan(FILES).block();
        assertThat(paths(plan, 0)).containsExactly("tests/test_a.py", "tests/test_c.py::test_one");
        JsonNode filter = JSON.readTree(server.received("POST filter_tests").get(0).body());
        assertThat(filter.path("files").findValuesAsText("path")).contains("svc/tests/test_a.py");
        JsonNode post = JSON.readTree(server.received("POST test_plan").get(0).body());
        assertThat(post.path("location_prefix").asText()).isEqualTo("svc/");
        assertThat(post.path("tests").path("selectors").findValuesAsText("value")).contains("tests/test_a.py");
        JsonNode example = post.path("tests").path("examples").get(0);
        assertThat(example.path("path").asText()).isEqualTo("svc/tests/test_c.py::test_one");
        assertThat(example.path("identifier").asText()).isEqualTo("tests/test_c.py::test_one");
    }

    @Test
    void emptyTasksFallBackToTheLocalPlanWithAWarning() {
        server.on("GET test_plan", Reply.json(200, "{\"tasks\":{}}"));
        TestPlan plan = source().plan(FILES).block();
        assertThat(plan.local()).isTrue();
        assertThat(paths(plan, 0)).containsExactly("tests/test_a.py", "tests/test_c.py");
        assertThat(warnings.get(0)).contains("Error Plan");
        assertThat(warnings).anyMatch(w -> w.contains("Falling back"));
    }

    @Test
    void bodiesThatAreNotJsonFallBack() {
        server.on("GET test_plan", Reply.html(200, "<html><body>Bad gateway</body></html>"));
        assertThat(source().plan(FILES).block().local()).isTrue();
        assertThat(warnings.get(0)).contains("Unexpected response").contains("not JSON");
    }

    @Test
    void wrongShapeFallsBack() {
        server.on("GET test_plan", Reply.json(200, "{\"tasks\": [1, 2]}"));
        assertThat(source().plan(FILES).block().local()).isTrue();
    }

    @Test
    void notFoundOnPostFallsBackWithTheSlugHint() {
        server.on("GET test_plan", Reply.json(404, "{}"))
                .on("POST filter_tests", Reply.json(200, "{\"tests\":[]}"))
                .on("POST test_plan", Reply.json(404, "{\"message\":\"Suite not found\"}"));
        assertThat(source().plan(FILES).block().local()).isTrue();
        assertThat(warnings).anyMatch(w -> w.contains("Not Found: Suite not found"))
                .anyMatch(w -> w.contains("BUILDKITE_TEST_ENGINE_SUITE_SLUG"));
    }

    @Test
    void billingAndUnprocessableFallBack() {
        server.on("GET test_plan", Reply.json(403, "{\"message\":\"Billing Error: upgrade\"}"));
        assertThat(source().plan(FILES).block().local()).isTrue();
        server.on("GET test_plan", Reply.json(422, "{\"message\":\"nope\"}"));
        assertThat(source().plan(FILES).block().local()).isTrue();
        assertThat(warnings).anyMatch(w -> w.startsWith("⚠️ Billing Error")).anyMatch(w -> w.startsWith("⚠️ Unavailable"));
    }

    @Test
    void authForbiddenAndBadRequestAreFatalWithTheServerMessage() {
        server.on("GET test_plan", Reply.json(401, "{\"message\":\"Invalid token\"}"));
        assertThatThrownBy(() -> source().plan(FILES).block()).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ApiException.Kind.AUTH);
            assertThat(e.getMessage()).isEqualTo("Invalid token");
        });
        server.on("GET test_plan", Reply.json(403, "{\"message\":\"No access to suite\"}"));
        assertThatThrownBy(() -> source().plan(FILES).block()).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.FORBIDDEN));
        server.on("GET test_plan", Reply.json(400, "{\"message\":\"bad\"}"));
        assertThatThrownBy(() -> source().plan(FILES).block()).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.BAD_REQUEST));
    }

    @Test
    void droppedConnectionsAndSlowAnswersPastTheBudgetFallBack() {
        server.on("GET test_plan", Reply.dropped());
        long start = System.nanoTime();
        TestPlan plan = source("", Duration.ofSeconds(2)).plan(FILES).block();
        assertThat(plan.local()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(warnings.get(0)).startsWith("⚠️ Timeout").contains("request retry timeout");
    }

    @Test
    void plansNamingPathsOutsideTheCheckoutAreRefused() {
        for (String hostile : List.of("../../etc/passwd", "/etc/passwd", "tests/../../outside_test.py::test_x", "~/test_x.py")) {
            warnings.clear();
            Map<String, List<String>> tasks = new LinkedHashMap<>();
            tasks.put("0", List.of("tests/test_a.py", hostile));
            server.on("GET test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1", tasks, List.of(), List.of())));
            TestPlan plan = source().plan(FILES).block();
            assertThat(plan.local()).as(hostile).isTrue();
            assertThat(paths(plan, 0)).doesNotContain(hostile);
            assertThat(warnings.get(0)).contains("not a path inside the checkout");
        }
    }

    @Test
    void enormousPlansWithExtraAndMissingFieldsAreRead() {
        StringBuilder tests = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            tests.append(i > 0 ? "," : "").append("{\"path\":\"tests/test_").append(i).append(".py\",\"surprise\":{\"x\":[1,2]}}");
        }
        server.on("GET test_plan", Reply.json(200, "{\"tasks\":{\"0\":{\"tests\":[" + tests + "]},\"1\":{}},"
                + "\"unknown_key\":true,\"muted_tests\":null}"));
        TestPlan plan = source().plan(FILES).block();
        assertThat(plan.local()).isFalse();
        assertThat(plan.taskFor(0).tests()).hasSize(50_000);
        assertThat(plan.taskFor(1).isEmpty()).isTrue();
    }

    @Test
    void connectionRefusedFallsBackWithinTheBudget() {
        String deadUrl = server.baseUrl();
        server.close();
        RetryingCaller caller = new RetryingCaller(Duration.ofSeconds(1), Duration.ofSeconds(2), Schedulers.parallel(), () -> 0.0, w -> { });
        TestEngineClient client = new TestEngineClient(new NettyTransport(), caller, deadUrl, "o", "s", "t", "ua", d -> { });
        ApiPlanSource dead = new ApiPlanSource(client, new ApiPlanSource.Settings("pytest", "id", 0, 2, 0, 0, "",
                new LocationPrefix(""), false, false, Map.of()), f -> Mono.just(List.of()), warnings::add, d -> { });
        long start = System.nanoTime();
        assertThat(dead.plan(FILES).block().local()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(warnings.get(0)).startsWith("⚠️ Timeout").contains("request retry timeout");
    }

    @Test
    void stormsOf429And5xxAndSlowAnswersFallBackWithinTheBudget() {
        for (Reply storm : List.of(Reply.json(429, "{}").withHeader("RateLimit-Reset", "1"), Reply.json(503, "<html>"),
                Reply.json(200, twoNodePlan()).after(Duration.ofSeconds(10)))) {
            warnings.clear();
            server.on("GET test_plan", storm);
            long start = System.nanoTime();
            assertThat(source("", Duration.ofSeconds(3)).plan(FILES).block().local()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(warnings.get(0)).startsWith("⚠️ Timeout");
        }
    }

    @Test
    void missingTaskForThisNodeIsAnEmptyTask() {
        server.on("GET test_plan", Reply.json(200, twoNodePlan()));
        assertThat(source().plan(FILES).block().taskFor(7).isEmpty()).isTrue();
    }
}
