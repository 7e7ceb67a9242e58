package io.bktec.e2e;

import io.bktec.api.FakeTestEngine;
import io.bktec.api.FakeTestEngine.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pytest-pants runner against the stand-in pants in testdata/pants. */
class PantsIT {
    private static final String JSON_CMD = "./pants --filter-target-type=python_test test //:: -- --json={{resultPath}} --merge-json";

    @TempDir
    Path tmp;

    private Bktec pants(String command) {
        return Bktec.in("pants").withCollector().env("BUILDKITE_TEST_ENGINE_TEST_RUNNER", "pytest-pants")
                .env("BUILDKITE_TEST_ENGINE_TEST_CMD", command).env("FLAKY_STATE_DIR", tmp.toString());
    }

    @Test
    void flakyTestPassesOnRetryAndTheBrokenOneStaysRed() throws Exception {
        Bktec.Result r = pants(JSON_CMD).env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "2").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("bktec: running pytest-pants").contains("retry 1 of 2: 2 failed tests")
                .contains("Flaky tests (failed, then passed on retry):").contains("tests/test_flaky.py::test_flaky_once")
                .contains("Failed tests:").contains("tests/test_known_broken.py::test_always_fails");
    }

    @Test
    void flakyOnlySelectionExitsZeroAfterARetry() throws Exception {
        Bktec.Result r = pants("./pants test tests/test_flaky.py tests/test_passing.py -- --json={{resultPath}} --merge-json")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Passed on retry           1");
    }

    @Test
    void junitModeWithTheChangedSinceExampleCommand() throws Exception {
        Bktec.Result r = pants("./pants --filter-target-type=python_test --changed-since=HEAD~1 test tests/test_flaky.py -- --junit-xml={{resultPath}}")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("read as JUnit XML").contains("tests/test_flaky.py::test_flaky_once");
    }

    @Test
    void mutedFailureWithAnApiPlanExitsZeroAndIsListed() throws Exception {
        try (FakeTestEngine server = new FakeTestEngine()) {
            server.on("GET test_plan", Reply.json(404, "{}"))
                    .on("POST test_plan", Reply.json(200, FakeTestEngine.plan("b1/s1", Map.of(),
                            List.<String[]>of(new String[]{"tests/test_known_broken.py", "test_always_fails"}), List.of())));
            Bktec.Result r = pants("./pants test tests/test_known_broken.py tests/test_passing.py -- --json={{resultPath}} --merge-json")
                    .env("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "py").env("BUILDKITE_ORGANIZATION_SLUG", "acme")
                    .env("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", "t0ken-123").env("BUILDKITE_TEST_ENGINE_BASE_URL", server.baseUrl())
                    .env("BUILDKITE_BUILD_ID", "b1").env("BUILDKITE_STEP_ID", "s1").args("run").run();
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout()).contains("Muted tests").contains("tests/test_known_broken.py::test_always_fails (failed)");
            String body = server.received("POST test_plan").get(0).body();
            assertThat(body).contains("\"runner\":\"pytest\"").doesNotContain("selectors").doesNotContain("examples");
        }
    }

    @Test
    void threeNodesTogetherRunEachTestFileOnce() throws Exception {
        List<String> ran = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            Bktec.Result r = pants(JSON_CMD).env("BUILDKITE_PARALLEL_JOB_COUNT", "3")
                    .env("BUILDKITE_PARALLEL_JOB", Integer.toString(node)).args("run").run();
            assertThat(r.stdout()).contains("--test-shard=" + node + "/3");
            for (String line : r.stdout().split("\n")) {
                if (line.matches("^[✓✕] .* (succeeded|failed)\\.$")) {
                    ran.add(line.substring(2, line.lastIndexOf(' ')));
                }
            }
        }
        assertThat(ran).containsExactlyInAnyOrder("tests/pkg/test_more.py", "tests/test_flaky.py",
                "tests/test_known_broken.py", "tests/test_passing.py");
    }

    @Test
    void rejectedCommandsAreOneLineAndExit16() throws Exception {
        for (String bad : List.of("./pants test //:: --json={{resultPath}} --merge-json",
                "./pants --filter-target-type=python_test test :: --json={{resultPath}} --merge-json",
                "./pants test //:: -- --json={{resultPath}}", "./pants test {{testExamples}} -- --junit-xml={{resultPath}}")) {
            Bktec.Result r = pants(bad).args("run").run();
            assertThat(r.exitCode()).as(bad + "\n" + r.all()).isEqualTo(16);
            assertThat(r.stderr()).contains("invalid test command").doesNotContain("Exception");
        }
        Bktec.Result none = Bktec.in("pants").env("BUILDKITE_TEST_ENGINE_TEST_RUNNER", "pytest-pants").args("run").run();
        assertThat(none.exitCode()).isEqualTo(16);
        assertThat(none.stderr()).contains("pytest-pants needs a test command");
    }
}
