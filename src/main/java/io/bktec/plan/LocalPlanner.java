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
