package io.bktec.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A split of the suite across nodes. Task keys are node indexes as strings ("0", "1", …), as in the Test Engine's
 * JSON. {@code mutedTests} holds "scope/name" keys. A local plan (local mode, or the fallback when the API could
 * not give one) has no mutes and no skips and sends no metadata.
 */
public record TestPlan(String identifier, int parallelism, Map<String, Task> tasks, Set<String> mutedTests,
                       List<TestCase> skippedTests, boolean local) {
    public TestPlan {
        identifier = identifier == null ? "" : identifier;
        tasks = Map.copyOf(tasks);
        mutedTests = Set.copyOf(mutedTests);
        skippedTests = List.copyOf(skippedTests);
    }

    public static TestPlan local(int parallelism, Map<String, Task> tasks) {
        return new TestPlan("", parallelism, tasks, Set.of(), List.of(), true);
    }

    /** This node's task; a node the plan does not mention gets nothing to run rather than a crash. */
    public Task taskFor(int node) {
        return tasks.getOrDefault(Integer.toString(node), Task.empty());
    }

    public int nodeCount() {
        return tasks.size();
    }

    public int testCount() {
        return tasks.values().stream().mapToInt(t -> t.tests().size()).sum();
    }
}
