package io.bktec.e2e;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** User mistakes: one clear line on stderr naming the bad value, exit 16, never a stack trace. */
class BadInputIT {
    private static void assertClearError(Bktec.Result r, String... fragments) {
        assertThat(r.exitCode()).as(r.all()).isEqualTo(16);
        assertThat(r.stderr()).contains(fragments);
        assertThat(r.all()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void nonNumericRetryCount() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "lots").args("run").run();
        assertClearError(r, "bktec run: invalid configuration:",
                "BUILDKITE_TEST_ENGINE_RETRY_COUNT was \"lots\" (env BUILDKITE_TEST_ENGINE_RETRY_COUNT), must be a whole number");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void indexNotBelowCount() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_PARALLEL_JOB", "4").env("BUILDKITE_PARALLEL_JOB_COUNT", "4")
                .args("run").run();
        assertClearError(r, "BUILDKITE_PARALLEL_JOB was 4, must not be greater than 3");
    }

    @Test
    void unknownRunner() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_TEST_ENGINE_TEST_RUNNER", "rspec").args("run").run();
        assertClearError(r, "BUILDKITE_TEST_ENGINE_TEST_RUNNER has unsupported value \"rspec\"; valid values: pytest, pytest-pants");
    }

    @Test
    void noFilesFoundQuotesBothPatterns() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN", "specs/**/*_spec.py")
                .env("BUILDKITE_TEST_ENGINE_TEST_FILE_EXCLUDE_PATTERN", "specs/slow").args("run").run();
        assertClearError(r, "no test files found matching \"specs/**/*_spec.py\" (excluding \"specs/slow\")");
    }

    @Test
    void unbalancedQuoteInTheTestCommand() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_TEST_ENGINE_TEST_CMD", "pytest -k 'oops {{testExamples}}")
                .args("run").run();
        assertClearError(r, "invalid test command", "unterminated single quote");
    }

    @Test
    void missingProgram() throws Exception {
        Bktec.Result r = Bktec.in("flaky")
                .env("BUILDKITE_TEST_ENGINE_TEST_CMD", "pytest-that-does-not-exist {{testExamples}} --junit-xml={{resultPath}}")
                .args("run").run();
        assertClearError(r, "command not found: pytest-that-does-not-exist");
    }

    @Test
    void unknownFlag() throws Exception {
        Bktec.Result r = Bktec.in("flaky").args("run", "--retry-everything").run();
        assertClearError(r, "Unknown option: '--retry-everything'");
    }

    @Test
    void jsonModeWithoutTheCollector() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_TEST_ENGINE_TEST_CMD", "pytest {{testExamples}} --json={{resultPath}}")
                .args("run").run();
        assertClearError(r, "buildkite-test-collector is not installed");
    }
}
