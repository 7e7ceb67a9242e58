package io.bktec.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions that stop before running everything they collected (testdata/early-stop, against real pytest): every
 * collected test ends passed, failed, skipped or "never ran", and a test that never ran is never green. Each case
 * runs as one pytest process (concurrency 1), as batches and as workers (concurrency 2), with JUnit XML and with
 * the collector's JSON.
 */
class EarlyStopIT {
    @TempDir
    Path tmp;

    /** How the node runs: one process, two batches, or two workers; and which result format the command writes. */
    enum Shape {
        SERIAL_JUNIT(1, true, false), SERIAL_JSON(1, true, true), BATCHES_JUNIT(2, false, false),
        WORKERS_JUNIT(2, true, false), WORKERS_JSON(2, true, true);

        final int concurrency;
        final boolean workers;
        final boolean json;

        Shape(int concurrency, boolean workers, boolean json) {
            this.concurrency = concurrency;
            this.workers = workers;
            this.json = json;
        }
    }

    static Stream<Arguments> shapes() {
        return Stream.of(Shape.values()).map(Arguments::of);
    }

    private Bktec bktec(String mode, Shape shape, String options) {
        Bktec bktec = Bktec.in("early-stop").env("EARLY_STOP_MODE", mode).env("EARLY_STOP_STATE_DIR", tmp.toString())
                .env("NO_COLOR", "1")
                .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", Integer.toString(shape.concurrency))
                .env("BUILDKITE_TEST_ENGINE_WORKERS", Boolean.toString(shape.workers));
        if (shape.json) {
            return bktec.withCollector().env("BUILDKITE_TEST_ENGINE_TEST_CMD",
                    "pytest " + options + " {{testExamples}} --json={{resultPath}}");
        }
        return bktec.env("BUILDKITE_TEST_ENGINE_TEST_CMD",
                "pytest " + options + " {{testExamples}} --junit-xml={{resultPath}}");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void exitFirstWithAFlakyTestDoesNotHideTheFailureAfterIt(Shape shape) throws Exception {
        Bktec.Result r = bktec("x-flaky", shape, "-x").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        String afterSummary = r.stdout().substring(r.stdout().indexOf("bktec: summary"));
        // test_second never ran in the first session; the retry ran it, and it failed
        assertThat(afterSummary).contains("Failed tests:\n  - tests/test_stop.py::test_second  (AssertionError: always "
                + "fails")
                .contains("Flaky tests (failed, then passed on retry):\n  - tests/test_stop.py::test_first");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void pytestExitWithReturnCodeZeroIsNotGreenAndTheTestAfterItIsNamed(Shape shape) throws Exception {
        Bktec.Result r = bktec("exit0", shape, "").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        String afterSummary = r.stdout().substring(r.stdout().indexOf("bktec: summary"));
        assertThat(afterSummary).contains("  - tests/test_stop.py::test_first  (stopped inside this test: pytest.exit: "
                + "stopping the session from a test)");
        if (shape.concurrency == 1) {
            // one session: it stopped, so the failing test after it never ran and is named so
            assertThat(afterSummary).contains("Never ran                 2").contains("2 tests never ran:\n"
                    + "  - tests/test_stop.py::test_second  (not run: the session stopped early (pytest.exit: "
                    + "stopping the session from a test))\n  - tests/test_stop.py::test_third")
                    .contains("exit status 1: 1 test failed and 2 tests never ran");
        } else if (shape.workers) {
            // the stopped worker was replaced and its unstarted tests ran on the replacement
            assertThat(afterSummary).contains("  - tests/test_stop.py::test_second  (AssertionError: always fails")
                    .doesNotContain("never ran");
        } else {
            assertThat(afterSummary).contains("tests/test_stop.py::test_second").contains("never ran");
        }
        assertThat(r.all()).doesNotContain("all tests passed");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void aKeyboardInterruptInsideATestCountsThatTestAsFailedNotPassed(Shape shape) throws Exception {
        Bktec.Result r = bktec("interrupt", shape, "").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
        String afterSummary = r.stdout().substring(r.stdout().indexOf("bktec: summary"));
        // test_first and test_other's two tests passed; test_third ran only if a worker took it over
        assertThat(afterSummary).contains("Passed (first run)        " + (shape.workers && shape.concurrency > 1 ? 4 : 3))
                .contains("  - tests/test_stop.py::test_second  (stopped inside this test: interrupted "
                        + "(KeyboardInterrupt))");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void osExitInsideATestIsStillACrash(Shape shape) throws Exception {
        Bktec.Result r = bktec("os-exit", shape, "").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("  - tests/test_stop.py::test_second  (crashed the test process (exit status 0))");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void exitFirstThatStopsEarlyButPassesOnRetryEndsGreenWithTheUnrunTestsShownAsRunOnRetry(Shape shape)
            throws Exception {
        Bktec.Result r = bktec("x-pass", shape, "-x").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Flaky tests (failed, then passed on retry):\n  - tests/test_stop.py::test_first")
                .contains("exit status 0: all tests passed").doesNotContain("never ran");
        if (!shape.workers || shape.concurrency == 1) {
            assertThat(r.stdout()).contains("Ran only on retry (their first session ended before them):\n"
                    + "  - tests/test_stop.py::test_second\n  - tests/test_stop.py::test_third");
        }
    }

    @Test
    void withoutThePluginAFileTheResultFileNeverReachedIsNamedAsNeverRan() throws Exception {
        Bktec.Result r = bktec("exit0", Shape.SERIAL_JUNIT, "").env("BUILDKITE_TEST_ENGINE_RESULTS_STREAM", "false")
                .args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("1 test never ran:\n  - tests/test_stop.py  (not run: its result file has no "
                + "test from this file, nor from any planned after it").contains("exit status 1: 1 test never ran");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void withoutThePluginARetryRunsTheFileAndItsTestsTakeItsPlace(Shape shape) throws Exception {
        Bktec.Result r = bktec("exit0-once", shape, "").env("BUILDKITE_TEST_ENGINE_RESULTS_STREAM", "false")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Ran only on retry (their first session ended before them):\n"
                + "  - tests/test_stop.py::test_first\n  - tests/test_stop.py::test_second\n"
                + "  - tests/test_stop.py::test_third").doesNotContain("never ran");
    }
}
