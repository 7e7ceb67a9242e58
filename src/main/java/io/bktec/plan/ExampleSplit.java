package io.bktec.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Splitting slow files into their tests for the local plan, as the Test Engine's server does with split by example.
 * A file is split when it would take more than half of what one node should carry (total / P): such a file bounds
 * the plan's slowest node, or leaves it too lumpy for longest-first to balance. Each test weighs its own duration;
 * tests the durations do not know share what is left of the file's time. Pure: the tests of each file are given.
 */
public final class ExampleSplit {
    private ExampleSplit() {
    }

    /** The files to split at parallelism P, in the order given. */
    public static Set<String> heavyFiles(List<String> files, FileWeights weights, int parallelism) {
        Set<String> heavy = new LinkedHashSet<>();
        if (!weights.known() || parallelism < 2) {
            return heavy;
        }
        // Summed in path order, so that the threshold is the same to the last bit however the files were listed.
        double threshold = weights.total(files) / parallelism / 2;
        for (String file : files) {
            if (weights.of(file) > threshold) {
                heavy.add(file);
            }
        }
        return heavy;
    }

    /**
     * The items when a tag filter chose the tests: every listed test on its own (its duration, else the typical
     * test's), and each file pytest could not collect whole, so that its error is reported. Files with no chosen
     * test are left out.
     */
    public static List<PlanItem> chosenTests(List<String> files, FileWeights weights, TestListing listing) {
        List<PlanItem> items = new ArrayList<>();
        for (String file : new LinkedHashSet<>(files)) {
            if (listing.uncollectable().contains(file)) {
                items.add(new PlanItem(file, false, weights.of(file)));
            }
            for (String test : listing.tests().getOrDefault(file, List.of())) {
                items.add(new PlanItem(test, true, weights.testOrTypical(test)));
            }
        }
        return items;
    }

    /**
     * The plan's items at parallelism P.
     *
     * @param testsOf the tests of each file that may be split, in collection order; a file missing here stays whole
     */
    public static List<PlanItem> items(List<String> files, FileWeights weights, int parallelism,
                                       Map<String, List<String>> testsOf) {
        Set<String> heavy = heavyFiles(files, weights, parallelism);
        List<PlanItem> items = new ArrayList<>();
        for (String file : files) {
            List<String> tests = testsOf.getOrDefault(file, List.of());
            if (!heavy.contains(file) || tests.size() < 2) {
                items.add(new PlanItem(file, false, weights.of(file)));
                continue;
            }
            double known = 0;
            int unknown = 0;
            for (String test : tests) {
                OptionalDouble seconds = weights.test(test);
                if (seconds.isPresent()) {
                    known += seconds.getAsDouble();
                } else {
                    unknown++;
                }
            }
            double share = unknown == 0 ? 0 : Math.max(0, weights.of(file) - known) / unknown;
            for (String test : tests) {
                items.add(new PlanItem(test, true, weights.test(test).orElse(share)));
            }
        }
        return items;
    }
}
