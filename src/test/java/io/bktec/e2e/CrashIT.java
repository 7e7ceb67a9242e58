package io.bktec.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Test processes that crash or misbehave: none of them may end in exit 0, and bktec must not hang. */
class CrashIT {
    private static final String FAKE = Bktec.TESTDATA.resolve("crash/fake-pytest").toString();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "kill9, 137",
            "segv, 139",
            "kill9-midoutput, 137",
            "close-stdout, 1",
            "partial-results, 137",
            "no-results, 1",
            "exit0-failures, 1",
            "pass, 0"})
    void crashesAreNeverGreen(String mode, int expected) throws Exception {
        long start = System.nanoTime();
        Bktec.Result r = Bktec.in("crash").env("CRASH_MODE", mode)
                .env("BUILDKITE_TEST_ENGINE_TEST_CMD", FAKE + " {{testExamples}} --junit-xml={{resultPath}}")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "2").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(expected);
        assertThat(r.all()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat((System.nanoTime() - start) / 1_000_000_000.0).as("seconds").isLessThan(30);
        if (expected > 128) {
            assertThat(r.stdout()).contains("killed by SIG").doesNotContain("retry 1 of 2");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"leave-daemon", "leave-detached"})
    void backgroundProcessesATestLeavesAreKilledAndDoNotHoldTheRunOpen(String mode) throws Exception {
        Path pidFile = tmp.resolve(mode + ".pid");
        long start = System.nanoTime();
        Bktec.Result r = Bktec.in("crash").env("CRASH_MODE", mode).env("DAEMON_PID_FILE", pidFile.toString())
                .env("BUILDKITE_TEST_ENGINE_TEST_CMD", FAKE + " {{testExamples}} --junit-xml={{resultPath}}").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat((System.nanoTime() - start) / 1_000_000_000.0).as("seconds").isLessThan(15);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Thread.sleep(300);
        assertThat(Bktec.running(pid)).as("leftover " + pid).isFalse();
    }
}
