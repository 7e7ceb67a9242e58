package io.bktec.job;

import io.bktec.process.NativeThreadLimits;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment every test process of a run starts from (each process then adds bktec's plugin, its coverage file
 * and its worker identity): bktec's own, with the numeric libraries' thread limits for the concurrency, colours on
 * under Buildkite (whose log renders them though pytest sees no terminal), and never bktec's API token. Pure.
 */
final class ChildEnvironment {
    private ChildEnvironment() {
    }

    /**
     * @param env         bktec's environment
     * @param concurrency test processes at once
     * @param cpus        the processors this JVM may use
     */
    static Map<String, String> of(Map<String, String> env, int concurrency, int cpus) {
        Map<String, String> child = new HashMap<>(env);
        child.putAll(NativeThreadLimits.forProcesses(concurrency, cpus, env));
        // The tests need the upload token (the collector uploads with it) but never bktec's API token.
        child.remove("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN");
        boolean noColor = !env.getOrDefault("NO_COLOR", "").isEmpty();
        if ("true".equals(env.get("BUILDKITE")) && !noColor && !env.containsKey("PY_COLORS")) {
            child.put("PY_COLORS", "1");
        }
        return child;
    }
}
