package io.bktec.config;

import java.time.Duration;

/** Mints a Test Engine API token when none is configured (bktec uses `buildkite-agent oidc request-token`). */
@FunctionalInterface
public interface TokenMinter {
    /** @throws IllegalStateException with a one-line reason when no token can be minted */
    String mint(String audience, Duration lifetime);

    TokenMinter NONE = (audience, lifetime) -> {
        throw new IllegalStateException("OIDC token minting is not available");
    };
}
