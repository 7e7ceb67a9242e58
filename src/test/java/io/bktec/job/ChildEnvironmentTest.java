package io.bktec.job;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The environment a run's test processes start from, as a pure function of bktec's own. */
class ChildEnvironmentTest {
    @Test
    void theApiTokenNeverReachesTheTestsButTheUploadTokenDoes() {
        Map<String, String> child = ChildEnvironment.of(Map.of("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", "api-secret",
                "BUILDKITE_ANALYTICS_TOKEN", "upload-secret", "PATH", "/bin"), 1, 2);
        assertThat(child).doesNotContainKey("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN")
                .containsEntry("BUILDKITE_ANALYTICS_TOKEN", "upload-secret").containsEntry("PATH", "/bin");
    }

    @Test
    void underBuildkiteColoursAreOnUnlessTheUserSaidOtherwise() {
        assertThat(ChildEnvironment.of(Map.of("BUILDKITE", "true"), 1, 2)).containsEntry("PY_COLORS", "1");
        assertThat(ChildEnvironment.of(Map.of("BUILDKITE", "true", "NO_COLOR", "1"), 1, 2)).doesNotContainKey("PY_COLORS");
        assertThat(ChildEnvironment.of(Map.of("BUILDKITE", "true", "PY_COLORS", "0"), 1, 2))
                .containsEntry("PY_COLORS", "0");
        assertThat(ChildEnvironment.of(Map.of(), 1, 2)).doesNotContainKey("PY_COLORS");
    }

    @Test
    void numericLibrariesGetTheirShareOfTheCoresPerProcess() {
        // two processes on eight cores: four threads each, unless the user chose
        assertThat(ChildEnvironment.of(Map.of(), 2, 8)).containsEntry("OMP_NUM_THREADS", "4");
        assertThat(ChildEnvironment.of(Map.of("OMP_NUM_THREADS", "3"), 2, 8)).containsEntry("OMP_NUM_THREADS", "3");
    }
}
