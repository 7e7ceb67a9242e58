package io.bktec.plan;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Local mode: no Test Engine suite is configured, so the plan is computed here, the same on every node from the same
 * inputs. Longest-first over the files' durations (bktec's round-robin when there are none); with split by example,
 * slow files are dealt as their single tests ({@link ExampleSplit}); with a target time, the smallest parallelism
 * predicted to meet it ({@link TargetParallelism}).
 */
public final class LocalPlanSource implements PlanSource {
    /** Lists the tests of some files (pytest's collection), in collection order, keyed by file; blocking. */
    @FunctionalInterface
    public interface TestLister {
        Map<String, List<String>> testsOf(List<String> files) throws Exception;
    }

    /**
     * @param parallelism    the number of nodes, when there is no target time
     * @param targetTime     zero for none; with it, the parallelism is chosen, at most {@code maxParallelism}
     */
    public record Settings(int parallelism, boolean splitByExample, Duration targetTime, int maxParallelism) {
        public static Settings fixed(int parallelism, boolean splitByExample) {
            return new Settings(parallelism, splitByExample, Duration.ZERO, 0);
        }

        public boolean targeted() {
            return !targetTime.isZero() && maxParallelism > 0;
        }
    }

    private final Settings settings;
    private final FileWeights weights;
    private final TestLister lister;
    private final Consumer<String> warnings;

    public LocalPlanSource(int parallelism, FileWeights weights) {
        this(Settings.fixed(parallelism, false), weights, files -> Map.of(), warning -> { });
    }

    public LocalPlanSource(Settings settings, FileWeights weights, TestLister lister, Consumer<String> warnings) {
        this.settings = settings;
        this.weights = weights;
        this.lister = lister;
        this.warnings = warnings;
    }

    @Override
    public Mono<TestPlan> plan(List<String> files) {
        return localPlan(files).map(LocalPlan::plan);
    }

    /** The plan with each node's predicted load; listing tests blocks, so this runs on a blocking-work thread. */
    public Mono<LocalPlan> localPlan(List<String> files) {
        return Mono.fromCallable(() -> compute(files)).subscribeOn(Schedulers.boundedElastic());
    }

    private LocalPlan compute(List<String> files) {
        if (settings.splitByExample() && !weights.known()) {
            warnings.accept("split by example needs test durations (BUILDKITE_TEST_ENGINE_DURATIONS_FILE) to tell "
                    + "slow files; splitting whole files");
        }
        if (!settings.targeted()) {
            int parallelism = settings.parallelism();
            Map<String, List<String>> tests = listHeavy(files, parallelism);
            return LocalPlanner.deal(ExampleSplit.items(files, weights, parallelism, tests), parallelism);
        }
        int max = settings.maxParallelism();
        if (!weights.known()) {
            warnings.accept("a target time needs test durations (BUILDKITE_TEST_ENGINE_DURATIONS_FILE) to predict "
                    + "how long a node takes; using the maximum parallelism, " + max);
            return LocalPlanner.deal(ExampleSplit.items(files, weights, max, Map.of()), max);
        }
        // The files slow at the widest parallelism include those slow at any narrower one: one listing serves all.
        Map<String, List<String>> tests = listHeavy(files, max);
        TargetParallelism.Choice choice = TargetParallelism.choose(
                p -> LocalPlanner.deal(ExampleSplit.items(files, weights, p, tests), p), settings.targetTime(), max);
        if (!choice.met()) {
            warnings.accept(String.format(Locale.ROOT, "no parallelism up to the maximum of %d meets the target time "
                            + "of %s: at %d the slowest node is predicted to take %.1f s", max,
                    seconds(settings.targetTime()), max, choice.plan().slowestSeconds()));
        }
        return choice.plan();
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.0f s", duration.toNanos() / 1e9);
    }

    private Map<String, List<String>> listHeavy(List<String> files, int parallelism) {
        if (!settings.splitByExample()) {
            return Map.of();
        }
        Set<String> heavy = ExampleSplit.heavyFiles(files, weights, parallelism);
        if (heavy.isEmpty()) {
            return Map.of();
        }
        try {
            return lister.testsOf(new ArrayList<>(heavy));
        } catch (Exception e) {
            warnings.accept("could not list the tests of " + heavy.size() + " slow file" + (heavy.size() == 1 ? "" : "s")
                    + " to split them (" + e.getMessage() + "): they stay whole, so this node's plan may differ from "
                    + "that of a node where listing worked");
            return Map.of();
        }
    }

    @Override
    public String describe() {
        String nodes = settings.targeted() ? "the fewest nodes (at most " + settings.maxParallelism()
                + ") predicted to finish within " + seconds(settings.targetTime())
                : settings.parallelism() + " node" + (settings.parallelism() == 1 ? "" : "s");
        return "No Test Engine suite is set (BUILDKITE_TEST_ENGINE_SUITE_SLUG), so the plan is computed locally: "
                + (weights.known() ? "files" + (settings.splitByExample() ? " (slow ones split into their tests)" : "")
                + " split by their durations, longest first, across " + nodes
                : "files sorted by path, split round-robin across " + nodes);
    }
}
