package io.bktec.bench;

import io.bktec.plan.FileWeights;
import io.bktec.plan.LocalPlan;
import io.bktec.plan.LocalPlanSource;
import io.bktec.plan.LocalPlanner;
import io.bktec.plan.PathOrder;
import io.bktec.plan.TestListing;
import io.bktec.plan.TestPlan;
import io.bktec.results.DurationSources;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Benchmark: how close the local plan's slowest node comes to the best possible, for P = 2 … 32: round-robin,
 * longest-first over files, and longest-first with slow files split into their tests (split by example). Each ratio
 * is makespan / lower bound, the bound being max(total / P, slowest single test), or the slowest file where files
 * cannot be split. "predicted" weighs the plan with the durations it was made from; "measured" with a second set
 * (another run's), which is what the nodes would then take. Then the parallelism a target time picks.
 * Usage: SplitQuality PLAN_DURATIONS [MEASURED_DURATIONS [TARGET_SECONDS MAX_PARALLELISM]]; each durations input is
 * anything BUILDKITE_TEST_ENGINE_DURATIONS_FILE takes (pytest-split JSON, JUnit XML, collector JSON, a directory).
 * A split file's tests are the ones the measured durations name, in byte order (standing in for pytest's collection).
 */
public final class SplitQuality {
    private SplitQuality() {
    }

    public static void main(String[] args) throws Exception {
        DurationSources sources = new DurationSources(Path.of(""), note -> { });
        Map<String, Double> planned = sources.read(Path.of(args[0]));
        Map<String, Double> measured = args.length > 1 ? sources.read(Path.of(args[1])) : planned;
        FileWeights plan = FileWeights.fromTestDurations(planned);
        FileWeights real = FileWeights.fromTestDurations(measured);
        List<String> files = new ArrayList<>(new LinkedHashSet<>(measured.keySet().stream().map(FileWeights::fileOf)
                .sorted().toList()));
        Map<String, List<String>> tests = new LinkedHashMap<>();
        measured.keySet().stream().filter(id -> id.contains("::")).sorted(PathOrder.BYTES)
                .forEach(id -> tests.computeIfAbsent(FileWeights.fileOf(id), f -> new ArrayList<>()).add(id));
        double total = files.stream().mapToDouble(real::of).sum();
        double slowestFile = files.stream().mapToDouble(real::of).max().orElse(0);
        double slowestTest = measured.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        System.out.printf("split quality: %d files, %d tests, %.1f s in all; slowest file %.1f s, slowest test %.1f s%n",
                files.size(), measured.size(), total, slowestFile, slowestTest);
        if (measured != planned) {
            double largest = 0;
            String which = "";
            for (Map.Entry<String, Double> test : measured.entrySet()) {
                double change = Math.abs(test.getValue() - planned.getOrDefault(test.getKey(), 0.0));
                if (change > largest) {
                    largest = change;
                    which = test.getKey();
                }
            }
            System.out.printf("planned from %.1f s in all; the largest change of one test between the two: %.2f s (%s)%n",
                    plan.total(files), largest, which);
        }
        System.out.println("| P | bound s (tests) | round-robin | longest-first files | split by example predicted "
                + "| split by example measured | files split |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int p : new int[]{2, 4, 8, 16, 32}) {
            double bound = Math.max(total / p, slowestTest);
            LocalPlan split = new LocalPlanSource(LocalPlanSource.Settings.fixed(p, true), plan, heavy -> TestListing.of(tests),
                    System.err::println).localPlan(files).block();
            System.out.printf("| %d | %.2f | %.3f | %.3f | %.3f | %.3f | %d |%n", p, bound,
                    makespan(LocalPlanner.roundRobin(files, p), real) / bound,
                    makespan(LocalPlanner.longestFirst(files, plan, p), real) / bound,
                    split.slowestSeconds() / Math.max(plan.total(files) / p, slowestOf(planned)),
                    makespan(split.plan(), real) / bound, split.splitFiles());
        }
        if (args.length > 3) {
            Duration target = Duration.ofMillis(Math.round(Double.parseDouble(args[2]) * 1000));
            int max = Integer.parseInt(args[3]);
            LocalPlan chosen = new LocalPlanSource(new LocalPlanSource.Settings(1, true, "", target, max), plan, heavy -> TestListing.of(tests),
                    System.err::println).localPlan(files).block();
            System.out.printf("target %.0f s, at most %d nodes: chose P = %d (ceil(total / target) = %d), slowest node "
                            + "predicted %.1f s, measured %.1f s%n", target.toMillis() / 1000.0, max,
                    chosen.plan().parallelism(), (int) Math.ceil(plan.total(files) / (target.toMillis() / 1000.0)),
                    chosen.slowestSeconds(), makespan(chosen.plan(), real));
        }
    }

    private static double slowestOf(Map<String, Double> durations) {
        return durations.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    static double makespan(TestPlan plan, FileWeights weights) {
        double max = 0;
        for (double s : LocalPlanner.predictedSeconds(plan, weights)) {
            max = Math.max(max, s);
        }
        return max;
    }
}
