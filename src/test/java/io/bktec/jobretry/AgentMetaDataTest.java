package io.bktec.jobretry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the stand-in agent (testdata/stubs/buildkite-agent), which answers as the real one does. */
class AgentMetaDataTest {
    private static final Path STUBS = Path.of("testdata/stubs").toAbsolutePath();

    @TempDir
    Path tmp;

    private AgentMetaData agent(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("PATH", STUBS + ":/usr/bin:/bin", "STUB_AGENT_STORE",
                tmp.toString(), "BUILDKITE_BUILD_ID", "build-1"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return new AgentMetaData("buildkite-agent", env, tmp);
    }

    @Test
    void aValueWrittenIsReadBackAndAnUnsetKeyIsAbsent() {
        assertThat(agent().read("k")).isEqualTo(new JobRetryPlan.Absent());
        String value = "bktec1:" + "x".repeat(200_000 / 2); // longer than one argument may comfortably be
        assertThat(agent().write("k", value)).isEmpty();
        assertThat(agent().read("k")).isEqualTo(new JobRetryPlan.Found(value));
    }

    @Test
    void whatTheAgentRefusesOrCannotAnswerIsOneLine() throws Exception {
        assertThat(agent().write("k", "y".repeat(110_000))).hasValueSatisfying(why -> assertThat(why)
                .startsWith("buildkite-agent meta-data set failed (exit status 1): fatal: failed to set meta-data")
                .contains("Value is too large").doesNotContain("\n"));
        assertThat(agent().write("k", "v")).isEmpty();
        assertThat(agent("STUB_AGENT_FAIL", "meta-data get").read("k")).isEqualTo(new JobRetryPlan.Unanswered(
                "buildkite-agent meta-data get failed (exit status 1): fatal: failed to meta-data get: POST "
                        + "https://agent.buildkite.com/v3/jobs/: 503 Service Unavailable"));
        assertThat(agent("STUB_AGENT_EXIT", "2").read("k")).isEqualTo(new JobRetryPlan.Unanswered(
                "buildkite-agent meta-data exists failed (exit status 2): stub buildkite-agent: failing on purpose"));
        assertThat(agent("PATH", "/usr/bin:/bin").read("k"))
                .isEqualTo(new JobRetryPlan.Unanswered("buildkite-agent is not on PATH"));
        assertThat(agent("PATH", "/usr/bin:/bin").write("k", "v")).contains("buildkite-agent is not on PATH");
        assertThat(Files.readString(tmp.resolve("build-1/meta-data/k"))).isEqualTo("v");
    }
}
