package io.bktec.plan;

import reactor.core.publisher.Mono;

import java.util.List;

/** Where a plan comes from: computed locally, or asked of the Test Engine API (which falls back to local). */
public interface PlanSource {
    Mono<TestPlan> plan(List<String> files);

    /** One line for the log saying where the plan came from. */
    String describe();
}
