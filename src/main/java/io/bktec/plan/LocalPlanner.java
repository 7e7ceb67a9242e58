package io.bktec.plan;

import java.util.ArrayList;
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
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        List<String> order = new ArrayList<>(files);
        order.sort(java.util.Comparator.comparingDouble((String f) -> -weights.of(f)).thenComparing(PathOrder.BYTES));
        double[] load = new double[parallelism];
        List<List<TestCase>> perNode = new ArrayList<>();
        for (int node = 0; node < parallelism; node++) {
            perNode.add(new ArrayList<>());
        }
        for (String file : order) {
            int best = 0;
            for (int node = 1; node < parallelism; node++) {
                if (load[node] < load[best]) {
                    best = node;
                }
            }
            load[best] += weights.of(file);
            perNode.get(best).add(TestCase.file(file));
        }
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (int node = 0; node < parallelism; node++) {
            tasks.put(Integer.toString(node), new Task(perNode.get(node)));
        }
        return TestPlan.local(parallelism, tasks);
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
