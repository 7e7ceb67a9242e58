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
import java.util.function.IntFunction;

/**
 * Local mode: no Test Engine suite is configured, so the plan is computed here, the same on every node from the same
 * inputs. Longest-first over the files' durations (bktec's round-robin when there are none); with split by example,
 * slow files are dealt as their single tests ({@link ExampleSplit}); with a target time, the smallest parallelism
 * predicted to meet it ({@link TargetParallelism}).
 */
public final class LocalPlanSource implements PlanSource {
    /** Lists the tests of some files (pytest's collection, narrowed by any tag filter); blocking. */
    @FunctionalInterface
    public interface TestLister {
        TestListing testsOf(List<String> files) throws Exception;
    }

    /**
     * @param parallelism    the number of nodes, when there is no target time
     * @param tagFilter      the tag filter the lister applies, or empty: with one, every chosen test is dealt on its own
     * @param targetTime     zero for none; with it, the parallelism is chosen, at most {@code maxParallelism}
     */
    public record Settings(int parallelism, boolean splitByExample, String tagFilter, Duration targetTime,
                           int maxParallelism) {
        public static Settings fixed(int parallelism, boolean splitByExample) {
            return new Settings(parallelism, splitByExample, "", Duration.ZERO, 0);
        }

        public boolean filtered() {
            return !tagFilter.isEmpty();
        }

        public boolean targeted() {
            return !targetTime.isZero() && maxParallelism > 0;
        }
    }

    private final Settings settings;
    private final FileWeights weights;
    private final TestLister lister;
    private final Consumer<String> warnings;

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
        if (settings.splitByExample() && !weights.known() && !settings.filtered()) {
            warnings.accept("split by example needs test durations (BUILDKITE_TEST_ENGINE_DURATIONS_FILE) to tell "
                    + "slow files; splitting whole files");
        }
        int max = settings.maxParallelism();
        // The files slow at the widest parallelism include those slow at any narrower one: one listing serves all.
        int widest = settings.targeted() ? max : settings.parallelism();
        IntFunction<List<PlanItem>> itemsAt;
        if (settings.filtered()) {
            TestListing chosen = listChosen(files);
            List<PlanItem> items = ExampleSplit.chosenTests(files, weights, chosen);
            itemsAt = p -> items;
        } else {
            Map<String, List<String>> tests = listHeavy(files, widest);
            itemsAt = p -> ExampleSplit.items(files, weights, p, tests);
        }
        if (!settings.targeted()) {
            return LocalPlanner.deal(itemsAt.apply(settings.parallelism()), settings.parallelism());
        }
        if (!weights.known()) {
            warnings.accept("a target time needs test durations (BUILDKITE_TEST_ENGINE_DURATIONS_FILE) to predict "
                    + "how long a node takes; using the maximum parallelism, " + max);
            return LocalPlanner.deal(itemsAt.apply(max), max);
        }
        TargetParallelism.Choice choice = TargetParallelism.choose(p -> LocalPlanner.deal(itemsAt.apply(p), p),
                settings.targetTime(), max);
        if (!choice.met()) {
            warnings.accept(String.format(Locale.ROOT, "no parallelism up to the maximum of %d meets the target time "
                            + "of %s: at %d the slowest node is predicted to take %.1f s", max,
                    seconds(settings.targetTime()), max, choice.plan().slowestSeconds()));
        }
        return choice.plan();
    }

    /** With a tag filter, the chosen tests must be known: running every test instead would be wrong. */
    private TestListing listChosen(List<String> files) {
        try {
            return lister.testsOf(files);
        } catch (Exception e) {
            throw new LocalPlanException("could not list the tests that BUILDKITE_TEST_ENGINE_TAG_FILTERS="
                    + settings.tagFilter() + " selects: " + e.getMessage());
        }
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
            return lister.testsOf(new ArrayList<>(heavy)).tests();
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
        String what = settings.filtered() ? "the tests tagged " + settings.tagFilter() + ", one by one,"
                : "files" + (settings.splitByExample() && weights.known() ? " (slow ones split into their tests)" : "");
        return "No Test Engine suite is set (BUILDKITE_TEST_ENGINE_SUITE_SLUG), so the plan is computed locally: "
                + what + (weights.known() ? " split by their durations, longest first, across " + nodes
                : settings.filtered() ? " sorted by id, split round-robin across " + nodes
                : " sorted by path, split round-robin across " + nodes);
    }
}
