package io.bktec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Time-based splits from a durations file, and writing that file after a run. */
class DurationsIT {
    @TempDir
    Path tmp;

    @Test
    void aRunWritesItsTestDurations() throws Exception {
        Path durations = tmp.resolve("durations.json");
        Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString()).env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1")
                .env("BUILDKITE_TEST_ENGINE_WRITE_DURATIONS", "true")
                .env("BUILDKITE_TEST_ENGINE_DURATIONS_FILE", durations.toString()).args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode written = new ObjectMapper().readTree(durations.toFile());
        assertThat(written.has("tests/test_flaky.py::test_flaky_once")).isTrue();
        assertThat(written.has("tests/test_steady.py::test_always_passes")).isTrue();
        assertThat(written.path("tests/test_flaky.py::test_stable").isNumber()).isTrue();
        assertThat(r.stdout()).contains("wrote 3 test durations");
    }

    @Test
    void theLocalSplitBalancesByTimeAndPlanShowsPredictions() throws Exception {
        Path durations = tmp.resolve("durations.json");
        StringBuilder json = new StringBuilder("{\"tests/test_params.py::test_x\": 100");
        for (String file : List.of("tests/api.v2/test_dotted.py", "tests/pkg/helpers_test.py", "tests/pkg/sub/test_nested.py",
                "tests/test_basic.py", "tests/test_classes.py", "tests/test_fixture_errors.py", "tests/test_module_skip.py",
                "tests/test_spans.py", "tests/test_subtests.py")) {
            json.append(", \"").append(file).append("::test_a\": 5, \"").append(file).append("::T::test_b\": 5");
        }
        Files.writeString(durations, json.append("}").toString());
        Bktec.Result r = Bktec.in("sample").env("BUILDKITE_PARALLEL_JOB_COUNT", "2")
                .env("BUILDKITE_TEST_ENGINE_DURATIONS_FILE", durations.toString()).args("plan", "--plan-out", "-").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode plan = new ObjectMapper().readTree(r.stdout());
        assertThat(plan.path("tasks").path("0").path("tests").findValuesAsText("path")).containsExactly("tests/test_params.py");
        assertThat(plan.path("tasks").path("1").path("tests").size()).isEqualTo(9);
        assertThat(r.stderr()).contains("node 0: 1 file, predicted 100.0 s");
    }

    @Test
    void anUnreadableDurationsFileIsAWarningAndTheSplitIsByCount() throws Exception {
        Files.writeString(tmp.resolve("bad.json"), "{not json");
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_TEST_ENGINE_DURATIONS_FILE", tmp.resolve("bad.json").toString())
                .env("FLAKY_STATE_DIR", tmp.toString()).env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).contains("could not read durations from").contains("splitting by file count");
        assertThat(r.stdout()).contains("split round-robin");
    }

    @Test
    void concurrencyTwoQueuesTheSuiteInBatchesWithoutLosingAnyTest() throws Exception {
        Bktec.Result r = Bktec.in("sample").env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2")
                .env("BUILDKITE_TEST_ENGINE_WORKERS", "false").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("in 4 batches").contains("Failed                   21").contains("Total                    52");
    }
}
