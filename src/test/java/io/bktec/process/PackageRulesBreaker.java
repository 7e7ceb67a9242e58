package io.bktec.process;

import io.bktec.run.RunPipeline;

/** Test-only: a class of a low package that uses one far above it, which {@code PackageRulesTest} must catch. */
final class PackageRulesBreaker {
    private PackageRulesBreaker() {
    }

    static Class<?> usesTheRun() {
        return RunPipeline.class;
    }
}
