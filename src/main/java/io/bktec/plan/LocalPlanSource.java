package io.bktec.plan;

import reactor.core.publisher.Mono;

import java.util.List;

/** Local mode: no Test Engine suite is configured, so the plan is bktec's fallback split, computed here. */
public final class LocalPlanSource implements PlanSource {
    private final int parallelism;

    public LocalPlanSource(int parallelism) {
        this.parallelism = parallelism;
    }

    @Override
    public Mono<TestPlan> plan(List<String> files) {
        return Mono.fromSupplier(() -> LocalPlanner.roundRobin(files, parallelism));
    }

    @Override
    public String describe() {
        return "No Test Engine suite is set (BUILDKITE_TEST_ENGINE_SUITE_SLUG), so the plan is computed locally: "
                + "files sorted by path, split round-robin across " + parallelism + " node" + (parallelism == 1 ? "" : "s");
    }
}
