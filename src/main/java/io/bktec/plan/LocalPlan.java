package io.bktec.plan;

import java.util.List;

/**
 * A plan computed locally, with what it expects of each node: the predicted seconds and how much of it comes from
 * files split into their tests.
 */
public record LocalPlan(TestPlan plan, List<NodeLoad> nodes) {
    /**
     * @param files      whole files dealt to the node
     * @param tests      single tests of split files dealt to the node
     * @param splitFiles how many split files those tests come from
     */
    public record NodeLoad(double predictedSeconds, int files, int tests, int splitFiles) {
    }

    public LocalPlan {
        nodes = List.copyOf(nodes);
    }

    public double slowestSeconds() {
        return nodes.stream().mapToDouble(NodeLoad::predictedSeconds).max().orElse(0);
    }

    /** How many files the plan splits into their tests. */
    public long splitFiles() {
        return plan.tasks().values().stream().flatMap(task -> task.tests().stream())
                .filter(test -> test.format().equals("example"))
                .map(test -> FileWeights.fileOf(test.runnable())).distinct().count();
    }
}
