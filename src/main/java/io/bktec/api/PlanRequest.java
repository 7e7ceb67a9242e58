package io.bktec.api;

import io.bktec.plan.TestCase;

import java.util.List;

/**
 * The body of POST …/test_plan in bktec v3's selector form.
 *
 * @param selectors      test files, unprefixed
 * @param examples       single tests from expanded files, their paths prefixed
 * @param maxParallelism 0 to omit
 * @param targetTimeSeconds 0 to omit
 */
public record PlanRequest(String runner, String identifier, int parallelism, int maxParallelism,
                          double targetTimeSeconds, String branch, String locationPrefix, List<String> selectors,
                          List<TestCase> examples) {
    public PlanRequest {
        selectors = List.copyOf(selectors);
        examples = List.copyOf(examples);
    }
}
