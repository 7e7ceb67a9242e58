package io.bktec.e2e;

import io.bktec.api.FakeTestEngine;
import io.bktec.api.FakeTestEngine.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancelling bktec (as the agent does) at different moments stops every process it started and exits 128+N within
 * the grace period plus one second. Each scenario runs {@code -Dbktec.cancel.trials} times (default 1; the stress
 * mode of bench/stress.sh runs 20).
 */
class CancelIT {
    private static final long GRACE_MS = 2000;
    private static final int TRIALS = Integer.getInteger("bktec.cancel.trials", 1);

    @TempDir
    Path tmp;

    private record Trial(int exitCode, long millisAfterSignal, List<Long> pids, String output) {
    }

    private static List<Long> pids(Path... files) throws IOException {
        List<Long> pids = new ArrayList<>();
        for (Path file : files) {
            for (String word : Files.readString(file).trim().split("\\s+")) {
                pids.add(Long.parseLong(word));
            }
        }
        return pids;
    }

    private Trial cancel(Bktec bktec, String signal, BooleanSupplier ready, java.util.concurrent.Callable<List<Long>> pids)
            throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process process = bktec.env("BUILDKITE_TEST_ENGINE_CANCEL_GRACE_PERIOD", GRACE_MS + "ms").args("run").start(out, err);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!ready.getAsBoolean()) {
                assertThat(process.isAlive()).as("bktec ended early: " + Files.readString(out) + Files.readString(err)).isTrue();
                assertThat(System.nanoTime()).as("never got ready").isLessThan(deadline);
                Thread.sleep(50);
            }
            List<Long> started = pids.call();
            long start = System.nanoTime();
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
            assertThat(process.waitFor(GRACE_MS + 5000, TimeUnit.MILLISECONDS)).as("bktec exited").isTrue();
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new Trial(process.exitValue(), elapsed, started, Files.readString(out) + Files.readString(err));
        } finally {
            process.destroyForcibly();
        }
    }

    private static void assertCancelled(Trial trial, int expectedCode) throws InterruptedException {
        assertThat(trial.exitCode()).as(trial.output()).isEqualTo(expectedCode);
        assertThat(trial.millisAfterSignal()).as(trial.output()).isLessThanOrEqualTo(GRACE_MS + 1000);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (trial.pids().stream().anyMatch(Bktec::running) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        for (long pid : trial.pids()) {
            assertThat(Bktec.running(pid)).as("process " + pid + " survived bktec").isFalse();
        }
        assertThat(trial.output()).contains("cancel");
    }

    private Trial singleTest(String file, String signal) throws Exception {
        Path pidFile = Files.createTempDirectory(tmp, "t").resolve("pids");
        return cancel(Bktec.in("cancel").env("BKTEC_PID_FILE", pidFile.toString())
                        .env("BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN", "tests/" + file),
                signal, () -> Files.exists(pidFile), () -> pids(pidFile));
    }

    @Test
    void sigtermStopsTheTestAndItsGrandchildAndExits143() throws Exception {
        for (int i = 0; i < TRIALS; i++) {
            Trial trial = singleTest("test_spawns_grandchild.py", "TERM");
            assertThat(trial.pids()).hasSize(2);
            assertCancelled(trial, 143);
            assertThat(trial.output()).contains("received SIGTERM").contains("bktec was cancelled (SIGTERM)");
        }
    }

    @Test
    void sigintExits130AndSighup129() throws Exception {
        for (int i = 0; i < TRIALS; i++) {
            assertCancelled(singleTest("test_spawns_grandchild.py", "INT"), 130);
            assertCancelled(singleTest("test_spawns_grandchild.py", "HUP"), 129);
        }
    }

    @Test
    void aTestThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        for (int i = 0; i < TRIALS; i++) {
            Trial trial = singleTest("test_ignores_sigterm.py", "TERM");
            assertThat(trial.millisAfterSignal()).isGreaterThanOrEqualTo(GRACE_MS - 100);
            assertCancelled(trial, 143);
        }
    }

    @Test
    void threeBatchesAtConcurrencyThreeAllStop() throws Exception {
        for (int i = 0; i < TRIALS; i++) {
            Path dir = Files.createTempDirectory(tmp, "pids");
            Trial trial = cancel(Bktec.in("cancel").env("BKTEC_PID_DIR", dir.toString())
                            .env("BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN", "tests/multi/test_block_*.py")
                            .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "3")
                            .env("BUILDKITE_TEST_ENGINE_WORKERS", "false"), "TERM",
                    () -> count(dir) == 3, () -> {
                        try (Stream<Path> files = Files.list(dir)) {
                            return pids(files.filter(p -> p.toString().endsWith(".pids")).toArray(Path[]::new));
                        }
                    });
            assertThat(trial.pids()).hasSize(6);
            assertCancelled(trial, 143);
        }
    }

    @Test
    void cancellingDuringARetryStopsIt() throws Exception {
        for (int i = 0; i < TRIALS; i++) {
            Path dir = Files.createTempDirectory(tmp, "retry");
            Trial trial = cancel(Bktec.in("cancel").env("BKTEC_PID_DIR", dir.toString()).env("FLAKY_STATE_DIR", dir.toString())
                            .env("BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN", "tests/retry/*.py")
                            .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "2"), "TERM",
                    () -> count(dir) == 1, () -> {
                        try (Stream<Path> files = Files.list(dir)) {
                            return pids(files.filter(p -> p.toString().endsWith(".pids")).toArray(Path[]::new));
                        }
                    });
            assertCancelled(trial, 143);
            assertThat(trial.output()).contains("retry 1 of 2").doesNotContain("retry 2 of 2");
        }
    }

    @Test
    void cancellingWhileWaitingForTheApiExitsAtOnce() throws Exception {
        for (int i = 0; i < TRIALS; i++) {
            try (FakeTestEngine server = new FakeTestEngine()) {
                server.on("GET test_plan", Reply.json(404, "{}").after(Duration.ofSeconds(60)));
                Trial trial = cancel(Bktec.in("flaky").env("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "py")
                                .env("BUILDKITE_ORGANIZATION_SLUG", "acme").env("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", "t0k3n")
                                .env("BUILDKITE_TEST_ENGINE_BASE_URL", server.baseUrl()).env("BUILDKITE_BUILD_ID", "b")
                                .env("BUILDKITE_STEP_ID", "s"), "TERM",
                        () -> !server.received().isEmpty(), List::of);
                assertCancelled(trial, 143);
                assertThat(trial.millisAfterSignal()).isLessThan(1000);
            }
        }
    }

    private static long count(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".pids")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
