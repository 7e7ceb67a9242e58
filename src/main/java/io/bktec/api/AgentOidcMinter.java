package io.bktec.api;

import io.bktec.process.HelperCommand;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

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
            HelperCommand.Finished run = HelperCommand.run(command, null, Duration.ofSeconds(30))
                    .orElseThrow(() -> new IllegalStateException(agent + " oidc request-token did not answer in 30 s"));
            String token = run.stdout().strip();
            if (run.exitStatus() != 0 || token.isEmpty()) {
                String stderr = run.stderr().strip().replaceAll("\\s+", " ");
                throw new IllegalStateException(agent + " oidc request-token exited with status " + run.exitStatus()
                        + (stderr.isEmpty() ? "" : ": " + stderr));
            }
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + agent + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
