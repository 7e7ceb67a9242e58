package io.bktec.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Persistent pytest workers fed by bktec, against real pytest. */
class WorkersIT {
    @TempDir
    Path tmp;

    @Test
    void theSampleSuiteGivesTheSameResultsAsBatchesWithOneResultFilePerWorker() throws Exception {
        Path results = tmp.resolve("out/results.xml");
        Bktec.Result r = Bktec.in("sample").env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2")
                .env("BUILDKITE_TEST_ENGINE_RESULT_PATH", results.toString()).args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("running 10 test files with pytest with 2 workers")
                .contains("bktec: starting w1, a pytest worker given 10 test files").contains("[w1] ")
                .contains("Failed                   21").contains("Total                    52");
        assertThat(results).exists();
        assertThat(results.resolveSibling("results.batch-2.xml")).exists();
    }

    @Test
    void sessionFixturesRunOncePerWorkerAndModuleFixturesOncePerFile() throws Exception {
        Path log = tmp.resolve("fixtures.log");
        Bktec.Result r = Bktec.in("fixtures").env("FIXTURE_LOG", log.toString()).env("FIXTURE_TEST_SECONDS", "0.4")
                .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2").args("run", "--debug").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        Map<String, List<String>> byProcess = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            String[] parts = line.split(" ", 2);
            byProcess.computeIfAbsent(parts[0], p -> new ArrayList<>()).add(parts[1]);
        }
        assertThat(byProcess).as(r.stdout()).hasSize(2); // both workers got files
        List<String> modulesSetUp = new ArrayList<>();
        for (List<String> lines : byProcess.values()) {
            assertThat(lines.get(0)).isEqualTo("session setup");
            assertThat(lines.get(lines.size() - 1)).isEqualTo("session teardown");
            assertThat(lines.stream().filter(l -> l.startsWith("session"))).hasSize(2);
            // each file: set up, its two tests, torn down, before the next file starts
            for (int i = 1; i < lines.size() - 1; i += 4) {
                String module = lines.get(i).substring("module setup ".length());
                String name = module.substring("test_".length());
                assertThat(lines.subList(i, i + 4)).containsExactly("module setup " + module, "test " + name + " first",
                        "test " + name + " second", "module teardown " + module);
                modulesSetUp.add(module);
            }
        }
        assertThat(modulesSetUp).containsExactlyInAnyOrder("test_alpha", "test_beta", "test_gamma", "test_delta");
        assertThat(r.stdout()).contains("dispatch: w1 ← tests/test_").contains("dispatch: w2 ← tests/test_");
    }

    @Test
    void aWorkerThatSegfaultsMidFileIsNamedAndEveryOtherFileStillRuns() throws Exception {
        Bktec.Result r = Bktec.in("segfault").env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(139);
        assertThat(r.all()).contains("tests/test_b.py::test_crash crashed the test process (SIGSEGV)");
        // test_a's two tests, test_b's test_before and test_after (taken back by a worker), test_c's test_three
        assertThat(r.stdout()).contains("Passed (first run)        5").contains("Failed                    1")
                .doesNotContain("never ran");
    }

    @Test
    void afterACrashARetryThatPassesStillEndsRed() throws Exception {
        Bktec.Result r = Bktec.in("segfault").env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2")
                .env("SEGFAULT_ONCE_DIR", tmp.toString()).env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        // one test to retry needs no workers: it runs in a batch of its own
        assertThat(r.stdout()).contains("retry 1 of 1: 1 failed test\n")
                .contains("Passed on retry           1")
                .contains("crashed the test process (SIGSEGV) (attempt 1); the retry passed, but a crash keeps the run red");
    }

    @Test
    void workersCanBeTurnedOffAndConcurrencyOneIsOneProcessAsBefore() throws Exception {
        Bktec.Result batches = Bktec.in("flaky").env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2")
                .env("BUILDKITE_TEST_ENGINE_WORKERS", "false").env("FLAKY_STATE_DIR", tmp.toString()).args("run").run();
        assertThat(batches.stdout()).as(batches.all()).contains("in 2 batches").doesNotContain("worker");
        Bktec.Result one = Bktec.in("flaky").env("FLAKY_STATE_DIR", Files.createDirectories(tmp.resolve("one")).toString())
                .args("run").run();
        assertThat(one.stdout()).doesNotContain("worker").doesNotContain("[w1]");
        assertThat(RunPytestIT.filesRun(one.stdout())).containsExactly("tests/test_flaky.py", "tests/test_steady.py");
    }

    @Test
    void atConcurrencyOnePytestsOutputPassesThroughByteForByte() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString()).env("PY_COLORS", "0")
                .args("run").run();
        String out = r.stdout();
        String fromPytest = out.substring(out.indexOf('\n', out.indexOf("\n$ pytest ") + 1) + 1,
                out.indexOf("+++ bktec: summary"));
        Path state = Files.createDirectories(tmp.resolve("direct"));
        ProcessBuilder direct = new ProcessBuilder("python3", "-m", "pytest", "tests/test_flaky.py", "tests/test_steady.py",
                "--junit-xml=" + tmp.resolve("direct.xml")).directory(Bktec.TESTDATA.resolve("flaky").toFile())
                .redirectErrorStream(true);
        direct.environment().putAll(Map.of("FLAKY_STATE_DIR", state.toString(), "PY_COLORS", "0",
                "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1", "PYTHONDONTWRITEBYTECODE", "1"));
        Process process = direct.start();
        String expected = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(normalised(fromPytest, tmp.resolve("direct.xml").toString()))
                .isEqualTo(normalised(expected, tmp.resolve("direct.xml").toString()));
    }

    /** Timings and the result file's path are the only things two runs of the same tests may print differently. */
    private static String normalised(String output, String directResultFile) {
        return output.replace(directResultFile, "<results>").replaceAll("/tmp/bktec-[^ ]*/attempt-0/batch-1.xml", "<results>")
                .replaceAll("in [0-9.]+s", "in <time>").replaceAll("-+ generated xml file: <results> -+", "generated");
    }

    @Test
    void sigtermDuringADispatchExits143AndLeavesNoProcessBehind() throws Exception {
        Path pids = Files.createDirectories(tmp.resolve("pids"));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process bktec = Bktec.in("cancel").env("BKTEC_PID_DIR", pids.toString())
                .env("BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN", "tests/multi/test_block_*.py")
                .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2").env("BUILDKITE_TEST_ENGINE_CANCEL_GRACE_PERIOD", "2s")
                .args("run").start(out, err);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pidFiles(pids).size() < 2) {
                assertThat(bktec.isAlive()).as(Files.readString(out) + Files.readString(err)).isTrue();
                assertThat(System.nanoTime()).as("two workers never blocked").isLessThan(deadline);
                Thread.sleep(50);
            }
            List<Long> started = new ArrayList<>();
            for (Path file : pidFiles(pids)) {
                for (String word : Files.readString(file).trim().split("\\s+")) {
                    started.add(Long.parseLong(word));
                }
            }
            long signalled = System.nanoTime();
            new ProcessBuilder("kill", "-TERM", Long.toString(bktec.pid())).start().waitFor();
            assertThat(bktec.waitFor(8, TimeUnit.SECONDS)).isTrue();
            assertThat(bktec.exitValue()).as(Files.readString(out) + Files.readString(err)).isEqualTo(143);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled)).isLessThanOrEqualTo(3000);
            Thread.sleep(300);
            for (long pid : started) {
                assertThat(Bktec.running(pid)).as("process " + pid + " survived bktec").isFalse();
            }
        } finally {
            bktec.destroyForcibly();
        }
    }

    @Test
    void eachWorkerGetsItsShareOfTheCoresForNumericLibrariesUnlessTheUserChose() throws Exception {
        Path suite = Files.createDirectories(tmp.resolve("suite"));
        Path seen = tmp.resolve("threads.txt");
        Files.writeString(suite.resolve("test_threads.py"), """
                import os

                def test_records_thread_limits():
                    with open(os.environ["THREADS_SEEN"], "a") as f:
                        f.write("%s %s\\n" % (os.environ.get("OPENBLAS_NUM_THREADS"), os.environ.get("OMP_NUM_THREADS")))
                """);
        String share = Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        Bktec.Result r = Bktec.in(suite).env("THREADS_SEEN", seen.toString())
                .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(Files.readString(seen)).isEqualTo(share + " " + share + "\n");

        Files.delete(seen);
        r = Bktec.in(suite).env("THREADS_SEEN", seen.toString()).env("OMP_NUM_THREADS", "3")
                .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(Files.readString(seen)).isEqualTo("None 3\n");
    }

    @Test
    void fourTimesMoreWorkersThanCoresRunEveryTestOnceReplaceACrashedOneAndLeaveNoProcess() throws Exception {
        Path suite = Files.createDirectories(tmp.resolve("suite"));
        Path pids = Files.createDirectories(tmp.resolve("pids"));
        for (int i = 0; i < 16; i++) {
            String crash = i == 5 ? """

                    def test_crash():
                        os.kill(os.getpid(), signal.SIGSEGV)
                    """ : "";
            Files.writeString(suite.resolve(String.format("test_m%02d.py", i)), """
                    import os, signal, time

                    def test_first():
                        with open(os.path.join(os.environ["PID_DIR"], str(os.getpid())), "a") as f:
                            f.write("x")
                        time.sleep(0.05)

                    def test_second():
                        pass
                    """ + crash);
        }
        int workers = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        Bktec.Result r = Bktec.in(suite).env("PID_DIR", pids.toString())
                .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", Integer.toString(workers)).args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(139);
        assertThat(r.all()).contains("test_m05.py::test_crash crashed the test process (SIGSEGV)");
        assertThat(r.stdout()).contains("Passed (first run)       32").contains("Failed                    1")
                .doesNotContain("never ran");
        List<Long> started;
        try (Stream<Path> files = Files.list(pids)) {
            started = files.map(f -> Long.parseLong(f.getFileName().toString())).toList();
        }
        assertThat(started).as("each file's first test ran in some worker").isNotEmpty();
        Thread.sleep(300);
        for (long pid : started) {
            assertThat(Bktec.running(pid)).as("worker " + pid + " survived bktec").isFalse();
        }
    }

    @Test
    void workersAreForkedFromOnePytestThatStartedUpOnceUnlessTheForkServerIsOff() throws Exception {
        Path suite = Files.createDirectories(tmp.resolve("suite/tests"));
        Files.writeString(suite.resolve("conftest.py"), """
                import os
                import pytest

                def log(text):
                    with open(os.environ["STARTS_LOG"], "a") as f:
                        f.write("%s %d\\n" % (text, os.getpid()))

                log("conftest")

                @pytest.fixture(scope="session", autouse=True)
                def session_resource():
                    log("session")
                    yield
                """);
        for (int i = 0; i < 6; i++) {
            Files.writeString(suite.resolve("test_f" + i + ".py"), """
                    import time

                    def test_one():
                        time.sleep(0.2)

                    def test_two():
                        pass
                    """);
        }
        for (String forkServer : List.of("true", "false")) {
            Path log = tmp.resolve("starts-" + forkServer + ".log");
            Path results = tmp.resolve("out-" + forkServer + "/results.xml");
            Bktec.Result r = Bktec.in(suite.getParent()).env("STARTS_LOG", log.toString())
                    .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "3").env("BUILDKITE_TEST_ENGINE_FORK_SERVER", forkServer)
                    .env("BUILDKITE_TEST_ENGINE_RESULT_PATH", results.toString()).args("run").run();
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout()).contains("Passed (first run)       12");
            List<String> conftests = Files.readAllLines(log).stream().filter(l -> l.startsWith("conftest")).toList();
            List<String> sessions = Files.readAllLines(log).stream().filter(l -> l.startsWith("session")).toList();
            // once per worker that ran a test: on a loaded machine a worker may start after the others have taken
            // every file (or one worker takes them all) and run none, and pytest sets up session fixtures only for a
            // first test; no worker sets them up twice
            assertThat(sessions).as("session fixtures once per worker").hasSizeBetween(1, 3).doesNotHaveDuplicates();
            int testcases = 0;
            for (String name : List.of("results.xml", "results.batch-2.xml", "results.batch-3.xml")) {
                testcases += Files.readString(results.resolveSibling(name)).split("<testcase", -1).length - 1;
            }
            assertThat(testcases).as("each worker's own result file").isEqualTo(12);
            if (forkServer.equals("true")) {
                assertThat(r.stdout()).contains("bktec: starting the fork server");
                assertThat(conftests).as("one start-up, in the server").hasSize(1);
                String server = conftests.get(0).split(" ")[1];
                assertThat(sessions).noneMatch(l -> l.endsWith(" " + server));
            } else {
                assertThat(r.stdout()).doesNotContain("fork server");
                assertThat(conftests).as("a start-up per worker").hasSize(3);
            }
        }
    }

    @Test
    void aForkedWorkerWritesTheCollectorsJsonToItsOwnFile() throws Exception {
        Path single = tmp.resolve("single/results.json");
        Bktec.Result one = Bktec.in("sample").withCollector().env("BUILDKITE_TEST_ENGINE_RESULT_PATH", single.toString())
                .args("run").run();
        assertThat(one.exitCode()).as(one.all()).isEqualTo(1);
        Path results = tmp.resolve("forked/results.json");
        Bktec.Result r = Bktec.in("sample").withCollector().env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2")
                .env("BUILDKITE_TEST_ENGINE_RESULT_PATH", results.toString()).args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("bktec: starting the fork server").contains("--json=" + results)
                .contains("Failed                   21").contains("Total                    52");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        int first = json.readTree(results.toFile()).size();
        int second = json.readTree(results.resolveSibling("results.batch-2.json").toFile()).size();
        assertThat(first).as("both workers ran tests").isPositive();
        assertThat(second).as("both workers ran tests").isPositive();
        assertThat(first + second).as("the two files hold what one process writes")
                .isEqualTo(json.readTree(single.toFile()).size());
    }

    private static List<Path> pidFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".pids")).toList();
        }
    }
}
