package io.bktec.bench;

import io.bktec.plan.FileWeights;
import io.bktec.plan.LocalPlanner;
import io.bktec.plan.TestPlan;
import io.bktec.results.DurationsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Benchmark: makespan / lower bound of the local split, round-robin vs longest-first, for P = 2, 4, 8.
 * Usage: SplitQuality <.test_durations>. The lower bound is max(longest file, total / P).
 */
public final class SplitQuality {
    private SplitQuality() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Double> durations = DurationsFile.read(Path.of(args[0]));
        FileWeights weights = FileWeights.fromTestDurations(durations);
        List<String> files = new ArrayList<>(new LinkedHashSet<>(durations.keySet().stream().map(FileWeights::fileOf).toList()));
        double total = files.stream().mapToDouble(weights::of).sum();
        double longest = files.stream().mapToDouble(weights::of).max().orElse(0);
        System.out.printf("split quality: %d files, %.1f s in all, longest file %.1f s%n", files.size(), total, longest);
        System.out.println("| P | lower bound s | round-robin makespan / bound | longest-first makespan / bound |");
        System.out.println("|---|---|---|---|");
        for (int p : new int[]{2, 4, 8}) {
            double bound = Math.max(longest, total / p);
            System.out.printf("| %d | %.2f | %.3f | %.3f |%n", p, bound,
                    makespan(LocalPlanner.roundRobin(files, p), weights) / bound,
                    makespan(LocalPlanner.longestFirst(files, weights, p), weights) / bound);
        }
    }

    static double makespan(TestPlan plan, FileWeights weights) {
        double max = 0;
        for (double s : LocalPlanner.predictedSeconds(plan, weights)) {
            max = Math.max(max, s);
        }
        return max;
    }
}
