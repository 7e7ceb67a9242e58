package io.bktec.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hung test does not hold the job: past its timeout it fails, named with the line it hung on, its process is
 * killed and the tests after it run; a cancel names it as still running. Against real pytest (testdata/hangs: nine
 * quick tests, one that sleeps for an hour on line 16 of tests/test_hang.py, one after it).
 */
class HangsIT {
    private static final String WHERE = "at tests/test_hang.py:16 (in test_hangs)";

    @TempDir
    Path tmp;

    private Path suite() throws Exception {
        Path suite = Bktec.copyOf("hangs", tmp.resolve("suite"));
        Files.createDirectories(tmp.resolve("pids"));
        return suite;
    }

    private Bktec bktec(Path suite, int concurrency, boolean forkServer) {
        return Bktec.in(suite).env("HANG_PID_DIR", tmp.resolve("pids").toString())
                .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", Integer.toString(concurrency))
                .env("BUILDKITE_TEST_ENGINE_FORK_SERVER", Boolean.toString(forkServer));
    }

    /** The hung test's processes (it writes its pid), none of which may outlive bktec. */
    private List<Long> hungProcesses() throws Exception {
        try (var pids = Files.list(tmp.resolve("pids"))) {
            return pids.map(p -> Long.parseLong(p.getFileName().toString())).toList();
        }
    }

    @ParameterizedTest(name = "concurrency {0}, fork server {1}")
    @CsvSource({"1, true", "2, true", "2, false"})
    void aTestPastItsTimeoutFailsWithItsLineAndTheRestRun(int concurrency, boolean forkServer) throws Exception {
        long started = System.nanoTime();
        Bktec.Result r = bktec(suite(), concurrency, forkServer).env("BUILDKITE_TEST_ENGINE_TEST_TIMEOUT", "3s")
                .args("run").run();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as(r.all()).isLessThan(40);
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("tests/test_hang.py::test_hangs  (timed out after 3 s " + WHERE + ")")
                .contains("Failed                    1").contains("Total                    11")
                .contains("exit status 1: 1 test failed")
                .contains("File \"" + tmp.resolve("suite/tests/test_hang.py") + "\", line 16 in test_hangs");
        assertThat(r.stdout()).doesNotContain("crashed").doesNotContain("never ran");
        assertThat(hungProcesses()).singleElement().satisfies(pid -> assertThat(Bktec.running(pid)).isFalse());
    }

    /**
     * A test blocked in a C call that holds the GIL (libc sleep through ctypes.PyDLL, as a database driver's blocking
     * read can be): bktec's stack signal cuts the call short and the test goes on to pass, but bktec decided it timed
     * out when its clock ran out, and that decision stands.
     */
    @ParameterizedTest(name = "concurrency {0}")
    @CsvSource({"1", "2"})
    void aTestHungInACallHoldingTheGilFailsAsTimedOutEvenIfTheStackSignalLetsItPass(int concurrency) throws Exception {
        Path suite = suite();
        Files.delete(suite.resolve("tests/test_hang.py"));
        Files.writeString(suite.resolve("tests/test_gil.py"), "import ctypes\n\n\n"
                + "def test_blocks_holding_the_gil():\n    ctypes.PyDLL(None).sleep(3600)\n\n\n"
                + "def test_after():\n    pass\n");
        Bktec.Result r = bktec(suite, concurrency, true).env("BUILDKITE_TEST_ENGINE_TEST_TIMEOUT", "3s")
                .args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("tests/test_gil.py::test_blocks_holding_the_gil  (timed out after 3 s at "
                        + "tests/test_gil.py:5 (in test_blocks_holding_the_gil))")
                .contains("line 5 in test_blocks_holding_the_gil")
                .contains("Passed (first run)       10").contains("Failed                    1")
                .contains("exit status 1: 1 test failed");
    }

    @Test
    void aTestThatHangsOnlyOnceIsFlakyAndTheRunGreen() throws Exception {
        Files.createDirectories(tmp.resolve("once"));
        Bktec.Result r = bktec(suite(), 2, true).env("BUILDKITE_TEST_ENGINE_TEST_TIMEOUT", "3s")
                .env("HANG_ONCE_DIR", tmp.resolve("once").toString()).env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1")
                .args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Flaky tests (failed, then passed on retry):\n  - tests/test_hang.py::test_hangs");
    }

    @Test
    void aTestsOwnTimeoutMarkerOverridesTheRunsAndAHangingImportIsNamedAsItsCollection() throws Exception {
        Path suite = suite();
        Files.writeString(suite.resolve("tests/test_marked.py"), "import time\n\nimport pytest\n\n\n"
                + "@pytest.mark.timeout(1)\ndef test_marked():\n    time.sleep(3600)\n");
        Files.writeString(suite.resolve("tests/test_import_hangs.py"), "import time\n\ntime.sleep(3600)\n\n\n"
                + "def test_never():\n    pass\n");
        Files.delete(suite.resolve("tests/test_hang.py"));
        Bktec.Result r = bktec(suite, 2, true).env("BUILDKITE_TEST_ENGINE_TEST_TIMEOUT", "4s").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("tests/test_marked.py::test_marked  (timed out after 1 s at "
                        + "tests/test_marked.py:8 (in test_marked))")
                .contains("tests/test_import_hangs.py  (collecting tests/test_import_hangs.py timed out after 4 s at "
                        + "tests/test_import_hangs.py:3 (in <module>))")
                .contains("Passed (first run)        9");
    }

    @Test
    void aCancelNamesTheTestStillRunningWithItsStack() throws Exception {
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process process = bktec(suite(), 1, true).env("BUILDKITE_TEST_ENGINE_CANCEL_GRACE_PERIOD", "2s").args("run")
                .start(out, err);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (hungProcesses().isEmpty()) {
                assertThat(System.nanoTime()).as("the hang never started: " + Files.readString(out)).isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(300);
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        String output = Files.readString(out) + Files.readString(err);
        assertThat(process.exitValue()).as(output).isEqualTo(143);
        assertThat(output).containsPattern("tests/test_hang.py::test_hangs was still running when the job was cancelled "
                        + "\\(after [0-9.]+ s\\) " + WHERE.replace("(", "\\(").replace(")", "\\)"))
                .contains("the stack of every thread of its process at that moment:").doesNotContain("crashed");
        for (long pid : hungProcesses()) {
            assertThat(Bktec.running(pid)).isFalse();
        }
    }
}
