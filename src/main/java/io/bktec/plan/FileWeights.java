package io.bktec.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Expected seconds per test file and per test, from per-test durations (node id → seconds, as pytest-split's
 * {@code .test_durations} holds them). A file's weight is the sum of its tests; a file with no known tests weighs
 * the median of the known files, so a new file is neither free nor the slowest.
 */
public final class FileWeights {
    private final Map<String, Double> perFile;
    private final Map<String, Double> perTest;
    private final double fallback;
    private final double testFallback;

    private FileWeights(Map<String, Double> perFile, Map<String, Double> perTest, double fallback,
                        double testFallback) {
        this.perFile = perFile;
        this.perTest = perTest;
        this.fallback = fallback;
        this.testFallback = testFallback;
    }

    /** No durations: every file weighs 1, which makes the time-based split equal to bktec's round-robin. */
    public static FileWeights uniform() {
        return new FileWeights(Map.of(), Map.of(), 1.0, 1.0);
    }

    public static FileWeights fromTestDurations(Map<String, Double> durations) {
        Map<String, Double> perFile = new HashMap<>();
        Map<String, Double> perTest = new HashMap<>();
        // Summed in key order: floating-point sums depend on order, and every node must weigh alike.
        new TreeMap<>(durations).forEach((nodeId, seconds) -> {
            if (seconds != null && seconds >= 0 && !seconds.isNaN() && !seconds.isInfinite()) {
                perFile.merge(fileOf(nodeId), seconds, Double::sum);
                if (nodeId.contains("::")) {
                    perTest.put(normalised(nodeId), seconds);
                }
            }
        });
        if (perFile.isEmpty()) {
            return uniform();
        }
        double testMedian = perTest.isEmpty() ? median(perFile.values()) : median(perTest.values());
        return new FileWeights(Map.copyOf(perFile), Map.copyOf(perTest), median(perFile.values()), testMedian);
    }

    private static double median(java.util.Collection<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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

    private static String normalised(String nodeId) {
        return nodeId.startsWith("./") ? nodeId.substring(2) : nodeId;
    }

    /** A file's expected seconds, or for a node id with a known duration, that test's. */
    public double of(String fileOrNodeId) {
        if (fileOrNodeId.contains("::")) {
            Double test = perTest.get(normalised(fileOrNodeId));
            if (test != null) {
                return test;
            }
        }
        return perFile.getOrDefault(fileOf(fileOrNodeId), fallback);
    }

    /** A test's known duration, if the durations have it. */
    public java.util.OptionalDouble test(String nodeId) {
        Double seconds = perTest.get(normalised(nodeId));
        return seconds == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(seconds);
    }

    /** A test's expected seconds: its duration, or for a test the durations do not know the median test's. */
    public double testOrTypical(String nodeId) {
        Double seconds = perTest.get(normalised(nodeId));
        return seconds == null ? testFallback : seconds;
    }

    /** The expected seconds of these files together, summed in path order (so alike on every node). */
    public double total(java.util.Collection<String> files) {
        return files.stream().sorted(PathOrder.BYTES).mapToDouble(this::of).sum();
    }

    public boolean known() {
        return !perFile.isEmpty();
    }
}
