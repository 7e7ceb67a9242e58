package io.bktec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bktec.api.FakeTestEngine;
import io.bktec.api.FakeTestEngine.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BUILDKITE_TEST_ENGINE_TAG_FILTERS with the collector stand-in's --tag-filters. In testdata/tags every test that is
 * not team a's fails, so a run that strays past the filter goes red.
 */
class TagFiltersIT {
    /** The tests of testdata/tags that team:a chooses, as the collector matches (see the suite's comments). */
    private static final List<String> TEAM_A = List.of("tests/test_alpha.py::test_a_one",
            "tests/test_alpha.py::test_a_param[1]", "tests/test_alpha.py::test_a_param[2]",
            "tests/test_alpha.py::test_a_param[3]", "tests/test_alpha.py::test_param_tagged_once[1]",
            "tests/test_beta.py::TestInvoices::test_total", "tests/test_beta.py::TestInvoices::test_claimed_by_b");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeTestEngine server = new FakeTestEngine();

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        server.close();
    }

    private static Bktec tagged() {
        return Bktec.in("tags").withInstalledCollector().env("BUILDKITE_TEST_ENGINE_TAG_FILTERS", "team:a");
    }

    /** The tests a run's collector JSON says ran. */
    private static List<String> ran(Path resultFile) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode record : JSON.readTree(resultFile.toFile())) {
            ids.add(record.path("scope").asText() + "::" + record.path("name").asText());
        }
        return ids;
    }

    @Test
    void twoLocalNodesTogetherRunEachChosenTestOnce() throws Exception {
        List<String> ran = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            Path results = tmp.resolve("node-" + node + ".json");
            Bktec.Result r = tagged().env("BUILDKITE_PARALLEL_JOB_COUNT", "2")
                    .env("BUILDKITE_PARALLEL_JOB", Integer.toString(node))
                    .env("BUILDKITE_TEST_ENGINE_RESULT_PATH", results.toString()).args("run").run();
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout()).contains("the tests tagged team:a, one by one,");
            ran.addAll(ran(results));
        }
        assertThat(ran).containsExactlyInAnyOrderElementsOf(TEAM_A);
    }

    @Test
    void retriesStayWithinTheFilter() throws Exception {
        Path suite = Bktec.copyOf("tags", tmp.resolve("suite"));
        Files.writeString(suite.resolve("tests/test_alpha.py"), Files.readString(suite.resolve("tests/test_alpha.py"))
                + "\n\nimport os\n\n\n@pytest.mark.execution_tag(\"team\", \"a\")\ndef test_a_flaky():\n"
                + "    marker = os.path.join(os.environ[\"FLAKY_STATE_DIR\"], \"ran\")\n"
                + "    first = not os.path.exists(marker)\n    open(marker, \"w\").close()\n    assert not first\n");
        Bktec.Result r = Bktec.in(suite).withInstalledCollector().env("BUILDKITE_TEST_ENGINE_TAG_FILTERS", "team:a")
                .env("FLAKY_STATE_DIR", tmp.toString()).env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("retry 1 of 1: 1 failed test").containsPattern("Passed on retry +1\n")
                .doesNotContain("test_b_one").doesNotContain("test_untagged");
    }

    @Test
    void aFileThatCannotBeCollectedRunsWholeSoItsErrorIsReported() throws Exception {
        Path suite = Bktec.copyOf("tags", tmp.resolve("suite"));
        Files.writeString(suite.resolve("tests/test_broken.py"), "import not_a_module_anywhere\n");
        Bktec.Result r = Bktec.in(suite).withInstalledCollector().env("BUILDKITE_TEST_ENGINE_TAG_FILTERS", "team:a")
                .args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(2); // pytest's "interrupted by collection errors"
        assertThat(r.stdout()).contains("Collection errors:\n  - tests/test_broken.py")
                .contains("not_a_module_anywhere").doesNotContain("test_b_one");
    }

    @Test
    void withoutTheCollectorTheRunStopsWithOneLine() throws Exception {
        Bktec.Result r = Bktec.in("tags").env("BUILDKITE_TEST_ENGINE_TAG_FILTERS", "team:a").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(16);
        assertThat(r.stderr()).contains("BUILDKITE_TEST_ENGINE_TAG_FILTERS needs buildkite-test-collector, whose "
                + "--tag-filters option chooses the tests, and it is not installed").doesNotContain("Exception");
        assertThat(r.stdout()).doesNotContain("test session starts");
    }

    @Test
    void aCollectorTooOldToFilterStopsTheRun() throws Exception {
        Path collector = tmp.resolve("collector");
        Files.createDirectories(collector.resolve("buildkite_test_collector"));
        Files.createDirectories(collector.resolve("buildkite_test_collector-1.2.0.dist-info"));
        Files.writeString(collector.resolve("buildkite_test_collector/__init__.py"), "");
        Files.writeString(collector.resolve("buildkite_test_collector-1.2.0.dist-info/METADATA"),
                "Metadata-Version: 2.1\nName: buildkite-test-collector\nVersion: 1.2.0\n");
        Bktec.Result r = Bktec.in("tags").env("PYTHONPATH", collector.toString())
                .env("BUILDKITE_TEST_ENGINE_TAG_FILTERS", "team:a").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(16);
        assertThat(r.stderr()).contains("needs buildkite-test-collector newer than 1.2.0 (installed: 1.2.0)");
    }

    @Test
    void pytestPantsAndABadFilterAreConfigurationErrors() throws Exception {
        Bktec.Result pants = Bktec.in("tags").env("BUILDKITE_TEST_ENGINE_TAG_FILTERS", "team:a")
                .env("BUILDKITE_TEST_ENGINE_TEST_RUNNER", "pytest-pants")
                .env("BUILDKITE_TEST_ENGINE_TEST_CMD", "pants test").args("run").run();
        assertThat(pants.exitCode()).isEqualTo(16);
        assertThat(pants.stderr()).contains("tag filtering is only supported for the pytest test runner");
        Bktec.Result bad = tagged().env("BUILDKITE_TEST_ENGINE_TAG_FILTERS", "team=a").args("run").run();
        assertThat(bad.exitCode()).isEqualTo(16);
        assertThat(bad.stderr()).contains("BUILDKITE_TEST_ENGINE_TAG_FILTERS was \"team=a\", must be key:value");
    }

    private Bktec api() {
        return tagged().env("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "py").env("BUILDKITE_ORGANIZATION_SLUG", "acme")
                .env("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", "bkua_SENTINEL_tag_token")
                .env("BUILDKITE_TEST_ENGINE_BASE_URL", server.baseUrl())
                .env("BUILDKITE_BUILD_ID", "b1").env("BUILDKITE_STEP_ID", "s1");
    }

    @Test
    void apiModeSendsOnlyTheChosenTestsAndNeverCallsFilterTests() throws Exception {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        tasks.put("0", TEAM_A);
        server.on("GET test_plan", Reply.json(404, "{\"message\":\"Not found\"}"))
                .on("POST test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1", tasks, List.of(), List.of())))
                .on("POST test_plan_metadata", Reply.json(200, "{}"));
        Bktec.Result r = api().args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(server.received("POST filter_tests")).isEmpty();
        JsonNode tests = JSON.readTree(server.received("POST test_plan").get(0).body()).path("tests");
        assertThat(tests.has("selectors")).isFalse();
        assertThat(tests.path("examples").findValuesAsText("identifier")).containsExactlyInAnyOrderElementsOf(TEAM_A);
        Matcher passed = Pattern.compile("Passed \\(first run\\)\\s+(\\d+)").matcher(r.stdout());
        assertThat(passed.find()).isTrue();
        assertThat(passed.group(1)).isEqualTo(Integer.toString(TEAM_A.size()));
    }

    @Test
    void planOutWritesTheServersAnswerAsItCameReindented() throws Exception {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        tasks.put("0", TEAM_A.subList(0, 2));
        String answer = FakeTestEngine.plan("b1/s1", tasks, List.of(), List.of())
                .replaceFirst("\\{", "{\"future_field\": {\"weights\": [1.50, 2E3], \"note\": \"caf\\\\u00e9 {x}\"}, ");
        server.on("POST test_plan", Reply.json(200, answer));
        Bktec.Result r = api().args("plan", "--plan-out", "-").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).startsWith("{\n  \"future_field\": {\n    \"weights\": [\n      1.50,\n      2E3\n    ],")
                .contains("\"note\": \"caf\\u00e9 {x}\"").endsWith("}\n");
        assertThat(r.stdout().replaceAll("\\s", "")).isEqualTo(answer.replaceAll("\\s", ""));
    }
}
