package io.bktec.e2e;

import io.bktec.config.Setting;
import io.bktec.config.Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CliIT {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    @Test
    void versionPrintsBktecAndTheVersionAndTheJavaThatRunsIt() throws Exception {
        Bktec.Result r = Bktec.in("flaky").args("--version").run();
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).matches("bktec v\\d+\\.\\d+\\.\\d+ \\(bktec-java\\)\\RJava \\S+ at /\\S*\\s*");
    }

    @Test
    void runHelpListsEveryVisibleFlagWithItsEnvVarAndDefault() throws Exception {
        Bktec.Result r = Bktec.in("flaky").args("run", "--help").run();
        assertThat(r.exitCode()).isZero();
        for (Setting setting : Settings.RUN) {
            if (!setting.hidden()) {
                assertThat(r.stdout()).contains(setting.optionName()).contains("env: " + setting.envs().get(0));
            }
        }
        assertThat(r.stdout()).contains("default: 10s").contains("default: 1");
    }

    @Test
    void topLevelHelpSaysPlainBktecRunsRun() throws Exception {
        Bktec.Result r = Bktec.in("flaky").args("--help").run();
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("run").contains("With no command, bktec runs `run`");
    }

    @Test
    void plainBktecRunsTheTests() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("running 2 test files with pytest");
    }
}
