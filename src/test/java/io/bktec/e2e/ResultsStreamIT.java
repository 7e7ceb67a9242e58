package io.bktec.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bktec's pytest plugin against real pytest: outcomes come from inside pytest, so a teardown error is never green, a
 * crash is pinned on its test, and a wrapper without a result file can still retry.
 */
class ResultsStreamIT {
    private static final String STUBS = Bktec.TESTDATA.resolve("stubs").toString();

    @TempDir
    Path tmp;

    @Test
    void aTeardownErrorTheCollectorCallsPassedKeepsTheRunRedAndIsNamedInSummaryAndAnnotation() throws Exception {
        Bktec.Result r = Bktec.in("teardown").withCollector().env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE", "true").env("NO_COLOR", "1").env("STUB_AGENT_LOG", tmp.resolve("agent.log").toString())
                .env("PATH", STUBS + ":" + System.getenv("PATH"))
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("pytest results are read as JSON")
                .contains("retry 1 of 1: 2 failed tests")
                .contains("  - tests/test_teardown.py::test_uses_resource  (error at teardown: RuntimeError: cleanup "
                        + "failed: resource still locked)")
                .contains("exit status 1: 1 test failed after retries");
        assertThat(Files.readString(tmp.resolve("agent.log.annotation")))
                .contains("`tests/test_teardown.py::test_uses_resource` — error at teardown: RuntimeError");
    }

    @Test
    void theSameInJUnitMode() throws Exception {
        Bktec.Result r = Bktec.in("teardown").env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("pytest results are read as JUnit XML")
                .contains("tests/test_teardown.py::test_uses_resource  (error at teardown: RuntimeError")
                .contains("Passed on retry           1");
    }

    @Test
    void withTheStreamTurnedOffTheCollectorsFileAloneMissesTheTeardownError() throws Exception {
        // What bktec did before the plugin, and still does when told not to load it: the collector's quirk shows.
        Bktec.Result r = Bktec.in("teardown").withCollector().env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE_TEST_ENGINE_RESULTS_STREAM", "false")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.stdout()).as(r.all()).contains("retry 1 of 1: 1 failed test").doesNotContain("error at teardown");
    }

    @Test
    void aSegfaultMidBatchNamesTheCrashedTestAndKeepsWhatPassedBeforeIt() throws Exception {
        Bktec.Result r = Bktec.in("segfault").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(139);
        assertThat(r.stderr()).contains("bktec: pytest (tests): tests/test_b.py::test_crash crashed the test process "
                + "(SIGSEGV); 2 tests did not run");
        assertThat(r.stdout()).contains("Passed (first run)        3")
                .contains("Never ran                 2")
                .contains("  - tests/test_b.py::test_crash  (crashed the test process (SIGSEGV))")
                .contains("2 tests never ran:\n  - tests/test_b.py::test_after  (not run: the test process died "
                        + "(SIGSEGV) before it started)\n  - tests/test_c.py::test_three")
                .contains("exit status 139: tests/test_b.py::test_crash crashed the test process (SIGSEGV)");
    }

    @Test
    void testsACrashCutShortOrKeptFromRunningLeaveNoDurations() throws Exception {
        Path durations = tmp.resolve("durations.json");
        Bktec.Result r = Bktec.in("segfault").env("BUILDKITE_TEST_ENGINE_DURATIONS_FILE", durations.toString())
                .env("BUILDKITE_TEST_ENGINE_WRITE_DURATIONS", "true").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(139);
        // a run killed by a signal writes none (as before); on exit 1 the crashed and never-run tests are left out
        assertThat(durations).doesNotExist();
        Bktec.Result exited = Bktec.in("segfault").env("BUILDKITE_TEST_ENGINE_DURATIONS_FILE", durations.toString())
                .env("BUILDKITE_TEST_ENGINE_WRITE_DURATIONS", "true").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1")
                .env("SEGFAULT_ONCE_DIR", tmp.toString()).args("run").run();
        assertThat(exited.exitCode()).as(exited.all()).isEqualTo(1);
        assertThat(Files.readString(durations)).contains("tests/test_a.py::test_one").contains("tests/test_c.py::test_three")
                .contains("tests/test_b.py::test_crash");
    }

    @Test
    void withARetryTheTestsTheCrashKeptFromRunningRunAndTheCrashedTestRunsAlone() throws Exception {
        Bktec.Result r = Bktec.in("segfault").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(139);
        assertThat(r.stdout()).contains("retry 1 of 1: 1 failed test and 2 that did not run in 2 batches")
                .containsPattern("\\$ pytest tests/test_b.py::test_after tests/test_c.py::test_three --junit-xml=\\S+\n")
                .containsPattern("\\$ pytest tests/test_b.py::test_crash --junit-xml=\\S+\n")
                .contains("Passed (first run)        3").contains("Passed on retry           2")
                .contains("Ran only on retry (their first session ended before them):\n  - tests/test_b.py::test_after\n"
                        + "  - tests/test_c.py::test_three")
                .doesNotContain("never ran");
    }

    @Test
    void aWrapperWithoutAResultFileStillRetriesByNodeId() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE_TEST_ENGINE_TEST_CMD", "sh -c 'exec python3 -m pytest \"$@\"' wrapper {{testExamples}}")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("outcomes come from bktec's pytest plugin alone")
                .contains("$ sh -c 'exec python3 -m pytest \"$@\"' wrapper tests/test_flaky.py::test_flaky_once\n")
                .contains("Passed on retry           1")
                .doesNotContain("cannot retry");
    }

    @Test
    void aWrapperThatReplacesPythonPathRunsWithoutThePluginAfterOneFalseStart() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE_TEST_ENGINE_TEST_CMD",
                        "sh -c 'PYTHONPATH=/nowhere exec python3 -m pytest \"$@\"' wrapper {{testExamples}} --junit-xml={{resultPath}}")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("pytest could not import bktec's plugin")
                .contains("running tests again without bktec's plugin")
                .contains("Passed on retry           1");
    }

    @Test
    void idsFromARootdirAboveTheWorkingDirectoryAreRetriedFromHere() throws Exception {
        // pytest.ini is in testdata/flaky, bktec runs in testdata/flaky/tests: pytest names tests/test_flaky.py
        Bktec.Result r = Bktec.in(Bktec.TESTDATA.resolve("flaky/tests")).env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).containsPattern("\\$ pytest test_flaky.py::test_flaky_once --junit-xml=\\S+\n")
                .contains("  - test_flaky.py::test_flaky_once");
    }
}
