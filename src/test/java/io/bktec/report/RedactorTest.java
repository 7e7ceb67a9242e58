package io.bktec.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    @Test
    void secretsByTheAgentsPatternsAreRedactedLongestFirst() {
        Redactor r = Redactor.fromEnvironment(Map.of("BUILDKITE_AGENT_ACCESS_TOKEN", "abcdef123456",
                "MY_API_KEY", "key-998877", "DB_PASSWORD", "hunter22", "BUILDKITE_STEP_KEY", "unit-tests",
                "SHORT_TOKEN", "true", "OTHER", "visible-value"));
        assertThat(r.redact("agent abcdef123456, key key-998877, pw hunter22, step unit-tests, flag true, visible-value"))
                .isEqualTo("agent [REDACTED], key [REDACTED], pw [REDACTED], step unit-tests, flag true, visible-value");
        Redactor nested = new Redactor(List.of("secret-value", "secret-value-longer"));
        assertThat(nested.redact("x secret-value-longer y")).isEqualTo("x [REDACTED] y");
    }
}
