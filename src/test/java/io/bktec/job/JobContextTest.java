package io.bktec.job;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JobContextTest {
    @Test
    void pythonIsAskedOnlyWhenTheCommandDoesNotNameItsResultFormat() {
        assertThat(JobContext.asksPython(Map.of())).isTrue();
        assertThat(JobContext.asksPython(Map.of("BUILDKITE_TEST_ENGINE_TEST_CMD", "pytest {{testExamples}}"))).isTrue();
        assertThat(JobContext.asksPython(Map.of("BUILDKITE_TEST_ENGINE_TEST_CMD",
                "pytest {{testExamples}} --junit-xml={{resultPath}}"))).isFalse();
        assertThat(JobContext.asksPython(Map.of("BUILDKITE_TEST_ENGINE_TEST_RUNNER", "pytest-pants"))).isFalse();
    }
}
