package io.bktec.plan;

import reactor.core.publisher.Mono;

import java.util.List;

/** Local mode: no Test Engine suite is configured, so the plan is bktec's fallback split, computed here. */
public final class LocalPlanSource implements PlanSource {
    private final int parallelism;
    private final FileWeights weights;

    public LocalPlanSource(int parallelism, FileWeights weights) {
        this.parallelism = parallelism;
        this.weights = weights;
    }

    @Override
    public Mono<TestPlan> plan(List<String> files) {
        return Mono.fromSupplier(() -> LocalPlanner.longestFirst(files, weights, parallelism));
    }

    @Override
    public String describe() {
        String nodes = parallelism + " node" + (parallelism == 1 ? "" : "s");
        return "No Test Engine suite is set (BUILDKITE_TEST_ENGINE_SUITE_SLUG), so the plan is computed locally: "
                + (weights.known() ? "files split by their durations, longest first, across " + nodes
                : "files sorted by path, split round-robin across " + nodes);
    }
}
