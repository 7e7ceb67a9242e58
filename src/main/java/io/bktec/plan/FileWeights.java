package io.bktec.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Expected seconds per test file, from per-test durations (pytest-split's {@code .test_durations}: node id →
 * seconds). A file's weight is the sum of its tests; a file with no known tests weighs the median of the known files,
 * so a new file is neither free nor the slowest.
 */
public final class FileWeights {
    private final Map<String, Double> perFile;
    private final double fallback;

    private FileWeights(Map<String, Double> perFile, double fallback) {
        this.perFile = perFile;
        this.fallback = fallback;
    }

    /** No durations: every file weighs 1, which makes the time-based split equal to bktec's round-robin. */
    public static FileWeights uniform() {
        return new FileWeights(Map.of(), 1.0);
    }

    public static FileWeights fromTestDurations(Map<String, Double> durations) {
        Map<String, Double> perFile = new HashMap<>();
        durations.forEach((nodeId, seconds) -> {
            if (seconds != null && seconds >= 0 && !seconds.isNaN() && !seconds.isInfinite()) {
                perFile.merge(fileOf(nodeId), seconds, Double::sum);
            }
        });
        if (perFile.isEmpty()) {
            return uniform();
        }
        List<Double> sorted = new ArrayList<>(perFile.values());
        sorted.sort(Double::compare);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new FileWeights(Map.copyOf(perFile), median);
    }

    /** Per-file weights given directly (e.g. the Test Engine's estimates). */
    public static FileWeights fromFiles(Map<String, Double> perFile) {
        return perFile.isEmpty() ? uniform() : fromTestDurations(perFile);
    }

    public static String fileOf(String nodeId) {
        int split = nodeId.indexOf("::");
        String file = split < 0 ? nodeId : nodeId.substring(0, split);
        return file.startsWith("./") ? file.substring(2) : file;
    }

    public double of(String fileOrNodeId) {
        return perFile.getOrDefault(fileOf(fileOrNodeId), fallback);
    }

    public boolean known() {
        return !perFile.isEmpty();
    }
}
