package io.bktec.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan every node can compute for itself from the same file list, without talking to anyone: bktec's
 * fallback split. Files are sorted by byte order and file i goes to node i mod P; duplicates are kept.
 */
public final class LocalPlanner {
    private LocalPlanner() {
    }

    /**
     * Longest-processing-time first: files from heaviest to lightest (ties in byte order) each go to the node with the
     * least expected time so far (ties to the lowest node). With uniform weights this is exactly {@link #roundRobin}.
     */
    public static TestPlan longestFirst(List<String> files, FileWeights weights, int parallelism) {
        return longestFirst(files.stream().map(f -> new PlanItem(f, false, weights.of(f))).toList(), parallelism);
    }

    /**
     * Longest-processing-time first over files and single tests: heaviest first (ties in byte order of what runs),
     * each to the node with the least expected time so far (ties to the lowest node). Deterministic, so every node
     * computes the same plan from the same items, whatever order they come in.
     */
    public static TestPlan longestFirst(List<PlanItem> items, int parallelism) {
        return deal(items, parallelism).plan();
    }

    /** {@link #longestFirst(List, int)}, with what each node is expected to carry. */
    public static LocalPlan deal(List<PlanItem> items, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        List<PlanItem> order = new ArrayList<>(items);
        order.sort(Comparator.comparingDouble((PlanItem item) -> -item.weight())
                .thenComparing(PlanItem::runnable, PathOrder.BYTES));
        double[] load = new double[parallelism];
        List<List<PlanItem>> perNode = new ArrayList<>();
        for (int node = 0; node < parallelism; node++) {
            perNode.add(new ArrayList<>());
        }
        for (PlanItem item : order) {
            int best = 0;
            for (int node = 1; node < parallelism; node++) {
                if (load[node] < load[best]) {
                    best = node;
                }
            }
            load[best] += item.weight();
            perNode.get(best).add(item);
        }
        Map<String, Task> tasks = new LinkedHashMap<>();
        List<LocalPlan.NodeLoad> nodes = new ArrayList<>();
        for (int node = 0; node < parallelism; node++) {
            List<PlanItem> dealt = perNode.get(node);
            tasks.put(Integer.toString(node), new Task(dealt.stream().map(PlanItem::testCase).toList()));
            int tests = (int) dealt.stream().filter(PlanItem::example).count();
            int splitFiles = (int) dealt.stream().filter(PlanItem::example)
                    .map(item -> FileWeights.fileOf(item.runnable())).distinct().count();
            nodes.add(new LocalPlan.NodeLoad(load[node], dealt.size() - tests, tests, splitFiles));
        }
        return new LocalPlan(TestPlan.local(parallelism, tasks), nodes);
    }

    /** Expected seconds of each node's task. */
    public static double[] predictedSeconds(TestPlan plan, FileWeights weights) {
        double[] seconds = new double[Math.max(plan.parallelism(), plan.nodeCount())];
        for (int node = 0; node < seconds.length; node++) {
            for (TestCase test : plan.taskFor(node).tests()) {
                seconds[node] += weights.of(test.runnable());
            }
        }
        return seconds;
    }

    public static TestPlan roundRobin(List<String> files, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        List<String> sorted = new ArrayList<>(files);
        sorted.sort(PathOrder.BYTES);
        List<List<TestCase>> perNode = new ArrayList<>();
        for (int node = 0; node < parallelism; node++) {
            perNode.add(new ArrayList<>());
        }
        for (int i = 0; i < sorted.size(); i++) {
            perNode.get(i % parallelism).add(TestCase.file(sorted.get(i)));
        }
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (int node = 0; node < parallelism; node++) {
            tasks.put(Integer.toString(node), new Task(perNode.get(node)));
        }
        return TestPlan.local(parallelism, tasks);
    }
}
