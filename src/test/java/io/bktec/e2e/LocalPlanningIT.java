package io.bktec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The local plan with real pytest: slow files split into their tests, a target time, durations from results. */
class LocalPlanningIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Durations for the sample suite where tests/test_params.py is most of the time. */
    private Path durations(Path suite) throws Exception {
        StringBuilder json = new StringBuilder("{");
        for (String file : List.of("tests/api.v2/test_dotted.py", "tests/pkg/helpers_test.py",
                "tests/pkg/sub/test_nested.py", "tests/test_basic.py", "tests/test_classes.py",
                "tests/test_fixture_errors.py", "tests/test_module_skip.py", "tests/test_spans.py",
                "tests/test_subtests.py")) {
            json.append("\"").append(file).append("::test_a\": 1, ");
        }
        json.append("\"tests/test_params.py::test_add_generated_ids[1-2-3]\": 20}");
        return Files.writeString(suite.resolve(".test_durations"), json.toString());
    }

    private static List<String> paths(JsonNode plan, int node) {
        List<String> paths = new ArrayList<>();
        plan.path("tasks").path(Integer.toString(node)).path("tests").forEach(t -> paths.add(t.path("path").asText()));
        return paths;
    }

    @Test
    void aSlowFileIsSplitIntoItsTestsEvenWhenAddoptsMakesPytestQuiet() throws Exception {
        Path suite = Bktec.copyOf("sample", tmp.resolve("suite"));
        // -q in addopts turns `--collect-only -q` into per-file counts: the ids must come from the stream.
        Files.writeString(suite.resolve("pytest.ini"), Files.readString(suite.resolve("pytest.ini")) + "addopts = -q\n");
        durations(suite);
        Bktec.Result r = Bktec.in(suite).env("BUILDKITE_PARALLEL_JOB_COUNT", "3")
                .env("BUILDKITE_TEST_ENGINE_SPLIT_BY_EXAMPLE", "true").args("plan", "--plan-out", "-").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode plan = JSON.readTree(r.stdout());
        List<String> all = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            all.addAll(paths(plan, node));
        }
        assertThat(all).doesNotContain("tests/test_params.py")
                .contains("tests/test_params.py::test_add_generated_ids[1-2-3]", "tests/test_params.py::test_normalise[a::b]",
                        "tests/test_basic.py");
        assertThat(r.stderr()).contains("1 slow file split into their tests")
                .containsPattern("node 0: \\d+ files? and \\d+ tests? of 1 split file, predicted \\d+\\.\\d s");
    }

    @Test
    void theNodesOfASplitPlanTogetherRunTheWholeSuiteOnce() throws Exception {
        Path suite = Bktec.copyOf("sample", tmp.resolve("suite"));
        durations(suite);
        int total = 0;
        for (int node = 0; node < 2; node++) {
            Bktec.Result r = Bktec.in(suite).env("BUILDKITE_PARALLEL_JOB_COUNT", "2")
                    .env("BUILDKITE_PARALLEL_JOB", Integer.toString(node))
                    .env("BUILDKITE_TEST_ENGINE_SPLIT_BY_EXAMPLE", "true").args("run").run();
            assertThat(r.exitCode()).as(r.all()).isIn(0, 1);
            Matcher matcher = Pattern.compile("Total\\s+(\\d+)").matcher(r.stdout());
            assertThat(matcher.find()).as(r.stdout()).isTrue();
            total += Integer.parseInt(matcher.group(1));
            assertThat(r.stdout()).contains("tests/test_params.py::");
        }
        assertThat(total).isEqualTo(52); // what one node running the whole sample counts
    }

    @Test
    void aTargetTimeChoosesTheSmallestParallelismThatMeetsIt() throws Exception {
        Path suite = Bktec.copyOf("sample", tmp.resolve("suite"));
        durations(suite); // 29 s: 20 s in one test of test_params.py, 1 s in each other file
        Bktec.Result r = Bktec.in(suite).env("BUILDKITE_TEST_ENGINE_TARGET_TIME", "21s")
                .env("BUILDKITE_TEST_ENGINE_MAX_PARALLELISM", "12").args("plan", "--json").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(JSON.readTree(r.stdout()).path("BUILDKITE_TEST_ENGINE_PARALLELISM").asText()).isEqualTo("2");
        Bktec.Result tooTight = Bktec.in(suite).env("BUILDKITE_TEST_ENGINE_TARGET_TIME", "10s")
                .env("BUILDKITE_TEST_ENGINE_MAX_PARALLELISM", "4").args("plan", "--json").run();
        assertThat(tooTight.exitCode()).as(tooTight.all()).isZero();
        assertThat(JSON.readTree(tooTight.stdout()).path("BUILDKITE_TEST_ENGINE_PARALLELISM").asText()).isEqualTo("4");
        assertThat(tooTight.stderr()).contains("no parallelism up to the maximum of 4 meets the target time of 10 s: "
                + "at 4 the slowest node is predicted to take 20.0 s");
    }

    @Test
    void junitFilesFromEarlierRunsPlanAsTheirMergedDurationsFileDoes() throws Exception {
        Path suite = Bktec.copyOf("sample", tmp.resolve("suite"));
        Path artifacts = Files.createDirectories(tmp.resolve("artifacts/job-1"));
        for (int node = 0; node < 2; node++) {
            Bktec.Result r = Bktec.in(suite).env("BUILDKITE_PARALLEL_JOB_COUNT", "2")
                    .env("BUILDKITE_PARALLEL_JOB", Integer.toString(node))
                    .env("BUILDKITE_TEST_ENGINE_RESULT_PATH", tmp.resolve("artifacts/job-" + node + "/junit.xml").toString())
                    .env("BUILDKITE_TEST_ENGINE_TEST_CMD", "pytest {{testExamples}} --junit-xml={{resultPath}}")
                    .args("run").run();
            assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        }
        assertThat(artifacts.resolve("junit.xml")).exists();
        Bktec.Result merge = Bktec.in(suite).args("durations", "--output", "merged.json", tmp.resolve("artifacts").toString()).run();
        assertThat(merge.exitCode()).as(merge.all()).isZero();
        assertThat(merge.stderr()).containsPattern("wrote \\d+ test durations from 1 of 1 input to merged.json");
        assertThat(JSON.readTree(suite.resolve("merged.json").toFile()).has("tests/test_basic.py::test_addition")).isTrue();

        Bktec.Result fromDirectory = Bktec.in(suite).env("BUILDKITE_PARALLEL_JOB_COUNT", "4")
                .env("BUILDKITE_TEST_ENGINE_DURATIONS_FILE", tmp.resolve("artifacts").toString())
                .args("plan", "--plan-out", "-").run();
        Bktec.Result fromFile = Bktec.in(suite).env("BUILDKITE_PARALLEL_JOB_COUNT", "4")
                .env("BUILDKITE_TEST_ENGINE_DURATIONS_FILE", "merged.json").args("plan", "--plan-out", "-").run();
        assertThat(fromDirectory.exitCode()).as(fromDirectory.all()).isZero();
        assertThat(fromDirectory.stderr()).contains("predicted");
        assertThat(JSON.readTree(fromDirectory.stdout())).isEqualTo(JSON.readTree(fromFile.stdout()));
    }

    @Test
    void writingDurationsWhenTheyCameFromResultFilesGoesToTestDurations() throws Exception {
        Path suite = Bktec.copyOf("flaky", tmp.resolve("suite"));
        Path artifacts = Files.createDirectories(tmp.resolve("artifacts"));
        Files.copy(Bktec.TESTDATA.resolve("pytest-results/junit/junit-full.xml"), artifacts.resolve("old.xml"));
        Bktec.Result r = Bktec.in(suite).env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").env("BUILDKITE_TEST_ENGINE_WRITE_DURATIONS", "true")
                .env("BUILDKITE_TEST_ENGINE_DURATIONS_FILE", artifacts.toString()).args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("holds test results, not pytest-split durations; writing this run's durations "
                + "to .test_durations instead");
        assertThat(JSON.readTree(suite.resolve(".test_durations").toFile()).has("tests/test_flaky.py::test_stable")).isTrue();
        assertThat(artifacts.resolve("old.xml")).hasSameTextualContentAs(
                Bktec.TESTDATA.resolve("pytest-results/junit/junit-full.xml"));
    }

    @Test
    void theDurationsCommandRefusesInputsItCannotUse() throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "hello");
        Bktec.Result missing = Bktec.in(tmp).args("durations", "nowhere.xml").run();
        assertThat(missing.exitCode()).isEqualTo(16);
        assertThat(missing.stderr()).contains("bktec durations: nowhere.xml does not exist");
        Bktec.Result wrongKind = Bktec.in(tmp).args("durations", "notes.txt").run();
        assertThat(wrongKind.exitCode()).isEqualTo(16);
        assertThat(wrongKind.stderr()).contains("notes.txt is not durations, JUnit XML or collector JSON")
                .doesNotContain("Exception");
        Bktec.Result none = Bktec.in(tmp).args("durations").run();
        assertThat(none.exitCode()).isEqualTo(16);
    }
}
