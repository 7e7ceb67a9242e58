package io.bktec.e2e;

import io.bktec.api.FakeTestEngine;
import io.bktec.api.FakeTestEngine.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Buildkite integration: log groups, annotations through a stub buildkite-agent, result upload. */
class BuildkiteIT {
    private static final String STUBS = Bktec.TESTDATA.resolve("stubs").toString();

    @TempDir
    Path tmp;

    private Bktec underBuildkite(String suite) {
        return Bktec.in(suite).env("BUILDKITE", "true").env("BUILDKITE_STEP_KEY", "tests").env("NO_COLOR", "1")
                .env("FLAKY_STATE_DIR", tmp.toString()).env("STUB_AGENT_LOG", tmp.resolve("agent.log").toString())
                .env("PATH", STUBS + ":" + System.getenv("PATH"));
    }

    @Test
    void aFailingRunEndsExpandedAndIsAnnotatedWithItsFailures() throws Exception {
        Bktec.Result r = underBuildkite("sample").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout().strip()).endsWith("^^^ +++");
        assertThat(Files.readString(tmp.resolve("agent.log"))).isEqualTo("annotate --context bktec-tests --style error\n");
        String body = Files.readString(tmp.resolve("agent.log.annotation"));
        assertThat(body).contains("Failed tests (21)").contains("`tests/test_params.py::test_label_is_short[a::b]`")
                .contains("exit status 1");
    }

    @Test
    void parallelJobsAppendToOneAnnotationPerStep() throws Exception {
        Bktec.Result r = underBuildkite("flaky").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1")
                .env("BUILDKITE_PARALLEL_JOB_COUNT", "2").env("BUILDKITE_PARALLEL_JOB", "0").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(Files.readString(tmp.resolve("agent.log"))).isEqualTo("annotate --context bktec-tests --append --style warning\n");
        assertThat(Files.readString(tmp.resolve("agent.log.annotation"))).contains("node 0 of 2").contains("Flaky tests");
    }

    @Test
    void withPromiseFailureAJobWithFailuresLeftTellsTheAgentAndOneWithoutDoesNot() throws Exception {
        Bktec.Result failing = underBuildkite("sample").env("BUILDKITE_TEST_ENGINE_PROMISE_FAILURE", "true")
                .env("BUILDKITE_TEST_ENGINE_ANNOTATE", "false").args("run").run();
        assertThat(failing.exitCode()).as(failing.all()).isEqualTo(1);
        assertThat(Files.readString(tmp.resolve("agent.log")))
                .isEqualTo("job promise-failure 1 --reason test_failure (21 failed after retries)\n");
        Files.delete(tmp.resolve("agent.log"));
        Bktec.Result flaky = underBuildkite("flaky").env("BUILDKITE_TEST_ENGINE_PROMISE_FAILURE", "true")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").env("BUILDKITE_TEST_ENGINE_ANNOTATE", "false")
                .args("run").run();
        assertThat(flaky.exitCode()).as(flaky.all()).isZero();
        assertThat(tmp.resolve("agent.log")).doesNotExist();
        Bktec.Result agentFails = underBuildkite("sample").env("BUILDKITE_TEST_ENGINE_PROMISE_FAILURE", "true")
                .env("BUILDKITE_TEST_ENGINE_ANNOTATE", "false").env("STUB_AGENT_EXIT", "2").args("run").run();
        assertThat(agentFails.exitCode()).as(agentFails.all()).isEqualTo(1);
        assertThat(agentFails.stderr()).contains("buildkite-agent job promise-failure failed (exit status 2)");
    }

    @Test
    void aMissingOrFailingAgentOnlyWarns() throws Exception {
        Bktec.Result missing = Bktec.in("flaky").env("BUILDKITE", "true").env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").env("PATH", pathWithoutAgent())
                .args("run").run();
        assertThat(missing.exitCode()).as(missing.all()).isZero();
        assertThat(missing.stderr()).contains("not annotating the build: buildkite-agent is not on PATH");
        Bktec.Result failing = underBuildkite("flaky").env("FLAKY_STATE_DIR", Files.createDirectories(tmp.resolve("b")).toString())
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").env("STUB_AGENT_EXIT", "3").args("run").run();
        assertThat(failing.exitCode()).as(failing.all()).isZero();
        assertThat(failing.stderr()).contains("buildkite-agent annotate failed (exit status 3)");
    }

    @Test
    void annotationCanBeTurnedOff() throws Exception {
        Bktec.Result r = underBuildkite("flaky").env("BUILDKITE_TEST_ENGINE_ANNOTATE", "false")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).isZero();
        assertThat(tmp.resolve("agent.log")).doesNotExist();
    }

    @Test
    void everyAttemptsResultsAreUploadedAndUploadFailuresNeverFailTheBuild() throws Exception {
        try (FakeTestEngine server = new FakeTestEngine()) {
            server.on("POST uploads", Reply.json(202, "{\"id\":\"u1\"}"));
            Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString()).env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1")
                    .env("BUILDKITE_TEST_ENGINE_UPLOAD_RESULTS", "true").env("BUILDKITE_ANALYTICS_TOKEN", "SENTINEL_upload_3f9")
                    .env("BUILDKITE_TEST_ENGINE_UPLOAD_BASE_URL", server.baseUrl()).env("BUILDKITE_BUILD_ID", "build-1")
                    .env("BUILDKITE_TEST_ENGINE_TAGS", "team=py,os=linux").args("run").run();
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(server.received("POST uploads")).hasSize(2);
            FakeTestEngine.Received upload = server.received("POST uploads").get(0);
            assertThat(upload.headers().get("authorization")).isEqualTo("Token token=SENTINEL_upload_3f9");
            assertThat(upload.headers().get("content-type")).startsWith("multipart/form-data; boundary=");
            assertThat(upload.body()).contains("name=\"format\"\r\n\r\njunit\r\n")
                    .contains("name=\"run_env[key]\"\r\n\r\nbuild-1\r\n")
                    .contains("name=\"run_env[collector]\"\r\n\r\nbktec\r\n")
                    .contains("name=\"tags[team]\"\r\n\r\npy\r\n")
                    .contains("filename=\"batch-1.xml\"").contains("<testsuites");
            assertThat(r.all()).doesNotContain("SENTINEL_upload_3f9");

            server.on("POST uploads", Reply.json(500, "{\"message\":\"down\"}"));
            Bktec.Result failing = Bktec.in("flaky").env("FLAKY_STATE_DIR", Files.createDirectories(tmp.resolve("c")).toString())
                    .env("BUILDKITE_TEST_ENGINE_UPLOAD_RESULTS", "true").env("BUILDKITE_ANALYTICS_TOKEN", "tok-123456")
                    .env("BUILDKITE_TEST_ENGINE_API_RETRY_BUDGET", "2s")
                    .env("BUILDKITE_TEST_ENGINE_UPLOAD_BASE_URL", server.baseUrl()).args("run").run();
            assertThat(failing.exitCode()).as(failing.all()).isEqualTo(1); // the flaky failure, not the upload
            assertThat(failing.stdout()).contains("could not upload batch-1.xml");
        }
    }

    private static String pathWithoutAgent() {
        return Bktec.pathWithout("buildkite-agent");
    }
}
