package io.bktec.api;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Mints a Test Engine token with `buildkite-agent oidc request-token`, as bktec v2.6+ does. */
public final class AgentOidcMinter {
    private final String agent;

    public AgentOidcMinter(String agent) {
        this.agent = agent;
    }

    /** @throws IllegalStateException with a one-line reason when no token can be minted */
    public String mint(String audience, Duration lifetime) {
        List<String> command = List.of(agent, "oidc", "request-token", "--audience", audience, "--lifetime",
                Long.toString(lifetime.toSeconds()));
        try {
            Path errors = Files.createTempFile("bktec-oidc", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectError(errors.toFile()).start();
                String token = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(agent + " oidc request-token did not answer in 30 s");
                }
                if (process.exitValue() != 0 || token.isEmpty()) {
                    String stderr = Files.readString(errors).strip().replaceAll("\\s+", " ");
                    throw new IllegalStateException(agent + " oidc request-token exited with status " + process.exitValue()
                            + (stderr.isEmpty() ? "" : ": " + stderr));
                }
                return token;
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + agent + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
