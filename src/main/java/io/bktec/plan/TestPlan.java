package io.bktec.plan;

import java.util.Map;
import java.util.Set;

/**
 * A split of the suite across nodes. Task keys are node indexes as strings ("0", "1", …), as in the Test Engine's
 * JSON. {@code mutedTests} holds "scope/name" keys. A local plan has no mutes.
 */
public record TestPlan(Map<String, Task> tasks, Set<String> mutedTests, boolean local) {
    public TestPlan {
        tasks = Map.copyOf(tasks);
        mutedTests = Set.copyOf(mutedTests);
    }

    /** This node's task; a node the plan does not mention gets nothing to run rather than a crash. */
    public Task taskFor(int node) {
        return tasks.getOrDefault(Integer.toString(node), Task.empty());
    }

    public int nodeCount() {
        return tasks.size();
    }
}
