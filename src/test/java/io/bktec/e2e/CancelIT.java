package io.bktec.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancelling bktec (as the agent does) stops every process it started and exits 128+N in time. */
class CancelIT {
    private static final long GRACE_MS = 2000;

    @TempDir
    Path tmp;

    private record Trial(int exitCode, long millisAfterSignal, List<Long> pids, String output) {
    }

    private Trial cancel(String testFile, String signal) throws Exception {
        Path pidFile = tmp.resolve("pids");
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process bktec = Bktec.in("cancel").env("BKTEC_PID_FILE", pidFile.toString())
                .env("BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN", "tests/" + testFile)
                .env("BUILDKITE_TEST_ENGINE_CANCEL_GRACE_PERIOD", GRACE_MS + "ms")
                .args("run").start(out, err);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(pidFile)) {
                assertThat(bktec.isAlive()).as("bktec ended early: " + Files.readString(out) + Files.readString(err)).isTrue();
                assertThat(System.nanoTime()).as("test process never started").isLessThan(deadline);
                Thread.sleep(50);
            }
            List<Long> pids = new ArrayList<>();
            for (String word : Files.readString(pidFile).trim().split("\\s+")) {
                pids.add(Long.parseLong(word));
            }
            long start = System.nanoTime();
            new ProcessBuilder("kill", "-" + signal, Long.toString(bktec.pid())).start().waitFor();
            assertThat(bktec.waitFor(GRACE_MS + 5000, TimeUnit.MILLISECONDS)).as("bktec exited").isTrue();
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new Trial(bktec.exitValue(), elapsed, pids, Files.readString(out) + Files.readString(err));
        } finally {
            bktec.destroyForcibly();
        }
    }

    /** Alive and not a zombie waiting to be reaped by init. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            return !state.equals("Z") && !state.equals("X");
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertAllGone(List<Long> pids) throws InterruptedException {
        // The kernel may take a moment to finish tearing down a killed process after its parent was told.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (pids.stream().anyMatch(CancelIT::running) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        for (long pid : pids) {
            assertThat(running(pid)).as("process " + pid + " survived bktec").isFalse();
        }
    }

    @Test
    void sigtermStopsTheTestAndItsGrandchildAndExits143() throws Exception {
        Trial trial = cancel("test_spawns_grandchild.py", "TERM");
        assertThat(trial.exitCode()).as(trial.output()).isEqualTo(143);
        assertThat(trial.millisAfterSignal()).isLessThanOrEqualTo(GRACE_MS + 1000);
        assertThat(trial.pids()).hasSize(2);
        assertAllGone(trial.pids());
        assertThat(trial.output()).contains("received SIGTERM").contains("cancelled");
    }

    @Test
    void sigintExits130() throws Exception {
        Trial trial = cancel("test_spawns_grandchild.py", "INT");
        assertThat(trial.exitCode()).as(trial.output()).isEqualTo(130);
        assertAllGone(trial.pids());
    }

    @Test
    void aTestThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        Trial trial = cancel("test_ignores_sigterm.py", "TERM");
        assertThat(trial.exitCode()).as(trial.output()).isEqualTo(143);
        assertThat(trial.millisAfterSignal()).isBetween(GRACE_MS - 100, GRACE_MS + 1000);
        assertAllGone(trial.pids());
    }
}
