package io.bktec.e2e;

import io.bktec.api.FakeTestEngine;
import io.bktec.api.FakeTestEngine.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sentinel secrets must never appear in anything bktec prints or posts, debug included. */
class SecretsIT {
    private static final Map<String, String> SECRETS = Map.of(
            "BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", "SENTINEL_api_1f3a9c",
            "BUILDKITE_ANALYTICS_TOKEN", "SENTINEL_upload_77b2e1",
            "BUILDKITE_AGENT_ACCESS_TOKEN", "SENTINEL_agent_c0ffee",
            "MY_SERVICE_SECRET", "SENTINEL_secret_9d9d9d",
            "DB_PASSWORD", "SENTINEL_password_4242");
    private static final String STUBS = Bktec.TESTDATA.resolve("stubs").toString();

    @TempDir
    Path tmp;

    private Bktec withSecrets(String suite) {
        Bktec b = Bktec.in(suite).env("BUILDKITE_TEST_ENGINE_DEBUG_ENABLED", "true").env("BUILDKITE", "true")
                .env("STUB_AGENT_LOG", tmp.resolve("agent.log").toString()).env("PATH", STUBS + ":" + System.getenv("PATH"));
        SECRETS.forEach(b::env);
        return b;
    }

    @Test
    void noSecretAppearsInOutputAnnotationsOrErrors() throws Exception {
        List<String> everything = new ArrayList<>();
        try (FakeTestEngine server = new FakeTestEngine()) {
            server.on("GET test_plan", Reply.json(500, "{\"message\":\"token " + SECRETS.get("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN") + " rejected\"}"),
                            Reply.json(200, FakeTestEngine.plan("b/s", Map.of("0", List.of("tests/test_env.py")), List.of(), List.of())))
                    .on("POST test_plan_metadata", Reply.json(401, "{\"message\":\"bad " + SECRETS.get("BUILDKITE_ANALYTICS_TOKEN") + "\"}"));
            Bktec.Result api = withSecrets("secrets").env("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "py")
                    .env("BUILDKITE_ORGANIZATION_SLUG", "acme").env("BUILDKITE_TEST_ENGINE_BASE_URL", server.baseUrl())
                    .env("BUILDKITE_BUILD_ID", "b").env("BUILDKITE_STEP_ID", "s").args("run").run();
            assertThat(api.exitCode()).as(api.all()).isEqualTo(1);
            assertThat(api.stdout()).contains("2 passed").contains("request: GET");
            everything.add(api.all());
            everything.add(Files.readString(tmp.resolve("agent.log.annotation")));
        }
        Bktec.Result local = withSecrets("secrets").args("run").run();
        assertThat(local.exitCode()).isEqualTo(1);
        everything.add(local.all());
        Bktec.Result config = withSecrets("secrets").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "nope").args("run").run();
        assertThat(config.exitCode()).isEqualTo(16);
        everything.add(config.all());
        Bktec.Result plan = withSecrets("secrets").args("plan", "--json").run();
        assertThat(plan.exitCode()).isZero();
        everything.add(plan.all());
        Bktec.Result auth;
        try (FakeTestEngine server = new FakeTestEngine()) {
            server.on("GET test_plan", Reply.json(401, "{\"message\":\"" + SECRETS.get("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN") + "\"}"));
            auth = withSecrets("secrets").env("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "py").env("BUILDKITE_ORGANIZATION_SLUG", "a")
                    .env("BUILDKITE_TEST_ENGINE_BASE_URL", server.baseUrl()).env("BUILDKITE_BUILD_ID", "b")
                    .env("BUILDKITE_STEP_ID", "s").args("run").run();
        }
        assertThat(auth.exitCode()).isEqualTo(16);
        assertThat(auth.stderr()).contains("Authentication Failed: [REDACTED]");
        everything.add(auth.all());
        for (String text : everything) {
            for (String secret : SECRETS.values()) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }
}
