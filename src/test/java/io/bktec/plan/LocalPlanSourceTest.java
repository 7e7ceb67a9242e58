package io.bktec.plan;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPlanSourceTest {
    private final List<String> warnings = new ArrayList<>();

    /** A suite: files with their tests in collection order, and durations for some of the tests. */
    record Suite(Map<String, List<String>> tests, Map<String, Double> durations) {
        List<String> files() {
            return new ArrayList<>(tests.keySet());
        }
    }

    @Provide
    Arbitrary<Suite> suites() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            Map<String, List<String>> tests = new LinkedHashMap<>();
            Map<String, Double> durations = new LinkedHashMap<>();
            int files = 1 + random.nextInt(25);
            for (int f = 0; f < files; f++) {
                String file = "tests/test_" + Integer.toString(random.nextInt(1000), 36) + ".py";
                List<String> ids = new ArrayList<>();
                int count = 1 + random.nextInt(random.nextInt(10) == 0 ? 60 : 6);
                for (int t = 0; t < count; t++) {
                    String id = file + "::test_" + t + (random.nextBoolean() ? "[p" + random.nextInt(3) + "]" : "");
                    if (!ids.contains(id)) {
                        ids.add(id);
                    }
                    if (random.nextInt(5) > 0) { // some tests are new: no duration yet
                        // A few equal durations, so that ties are exercised.
                        durations.put(id, random.nextInt(4) == 0 ? 1.0 : random.nextDouble() * 30);
                    }
                }
                tests.put(file, ids);
            }
            return new Suite(tests, durations);
        });
    }

    private LocalPlanSource source(LocalPlanSource.Settings settings, Suite suite, Map<String, Double> durations) {
        return new LocalPlanSource(settings, FileWeights.fromTestDurations(durations), files -> {
            Map<String, List<String>> listed = new LinkedHashMap<>();
            files.forEach(f -> listed.put(f, suite.tests().get(f)));
            return TestListing.of(listed);
        }, warnings::add);
    }

    private static <K, V> Map<K, V> shuffled(Map<K, V> map, Random random) {
        List<Map.Entry<K, V>> entries = new ArrayList<>(map.entrySet());
        Collections.shuffle(entries, random);
        Map<K, V> copy = new LinkedHashMap<>();
        entries.forEach(e -> copy.put(e.getKey(), e.getValue()));
        return copy;
    }

    @Property(tries = 300)
    void everyNodeComputesTheSamePlanWhateverOrderItsInputsCameIn(@ForAll("suites") Suite suite,
                                                                 @ForAll @IntRange(min = 1, max = 32) int parallelism,
                                                                 @ForAll boolean targeted, @ForAll long seed) {
        LocalPlanSource.Settings settings = targeted
                ? new LocalPlanSource.Settings(1, true, "", Duration.ofSeconds(1 + seed % 60 + (seed < 0 ? 60 : 0)), parallelism)
                : LocalPlanSource.Settings.fixed(parallelism, true);
        Random random = new Random(seed);
        List<String> otherOrder = new ArrayList<>(suite.files());
        Collections.shuffle(otherOrder, random);
        TestPlan one = source(settings, suite, suite.durations()).plan(suite.files()).block();
        TestPlan other = source(settings, suite, shuffled(suite.durations(), random)).plan(otherOrder).block();
        assertThat(other).isEqualTo(one);
    }

    @Property(tries = 300)
    void theJobsOfAPlanSizedByTargetTimeComputeThePlanItChose(@ForAll("suites") Suite suite,
                                                             @ForAll @IntRange(min = 1, max = 120) int targetSeconds,
                                                             @ForAll @IntRange(min = 1, max = 16) int max) {
        TestPlan chosen = source(new LocalPlanSource.Settings(1, true, "", Duration.ofSeconds(targetSeconds), max), suite,
                suite.durations()).plan(suite.files()).block();
        TestPlan atThatParallelism = source(LocalPlanSource.Settings.fixed(chosen.parallelism(), true), suite,
                suite.durations()).plan(suite.files()).block();
        assertThat(atThatParallelism).isEqualTo(chosen);
    }

    @Property(tries = 300)
    void togetherTheNodesRunEveryTestOnceAndNothingElse(@ForAll("suites") Suite suite,
                                                       @ForAll @IntRange(min = 1, max = 32) int parallelism) {
        TestPlan plan = source(LocalPlanSource.Settings.fixed(parallelism, true), suite, suite.durations())
                .plan(suite.files()).block();
        List<String> ran = new ArrayList<>();
        for (int node = 0; node < parallelism; node++) {
            for (TestCase test : plan.taskFor(node).tests()) {
                if (test.format().equals("example")) {
                    ran.add(test.path());
                } else {
                    ran.addAll(suite.tests().get(test.path()));
                }
            }
        }
        List<String> every = suite.tests().values().stream().flatMap(List::stream).toList();
        assertThat(ran).containsExactlyInAnyOrderElementsOf(every);
    }

    @Test
    void withATagFilterAFailedListingStopsThePlanRatherThanRunEverything() {
        LocalPlanSource source = new LocalPlanSource(new LocalPlanSource.Settings(2, false, "team:a", Duration.ZERO, 0),
                FileWeights.uniform(), files -> {
                    throw new Exception("pytest exited with status 4: unrecognized arguments: --tag-filters");
                }, warnings::add);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.plan(List.of("a.py")).block())
                .isInstanceOf(LocalPlanException.class)
                .hasMessage("could not list the tests that BUILDKITE_TEST_ENGINE_TAG_FILTERS=team:a selects: pytest "
                        + "exited with status 4: unrecognized arguments: --tag-filters");
    }

    @Test
    void withATagFilterOnlyTheChosenTestsAreDealt() {
        LocalPlanSource source = new LocalPlanSource(new LocalPlanSource.Settings(2, false, "team:a", Duration.ZERO, 0),
                FileWeights.uniform(), files -> TestListing.of(Map.of("b.py", List.of("b.py::t2", "b.py::t1"),
                "a.py", List.of("a.py::t"))), warnings::add);
        TestPlan plan = source.plan(List.of("a.py", "b.py", "c.py")).block();
        assertThat(plan.taskFor(0).tests()).extracting(TestCase::path).containsExactly("a.py::t", "b.py::t2");
        assertThat(plan.taskFor(1).tests()).extracting(TestCase::path).containsExactly("b.py::t1");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFailedListingKeepsSlowFilesWholeAndSaysThePlanMayDiffer() {
        LocalPlanSource source = new LocalPlanSource(LocalPlanSource.Settings.fixed(4, true),
                FileWeights.fromTestDurations(Map.of("big.py::a", 50.0, "big.py::b", 50.0, "small.py::t", 1.0)),
                files -> {
                    throw new Exception("pytest exited with status 4");
                }, warnings::add);
        TestPlan plan = source.plan(List.of("big.py", "small.py")).block();
        assertThat(plan.taskFor(0).tests()).extracting(TestCase::path).containsExactly("big.py");
        assertThat(warnings).singleElement().asString().contains("could not list the tests of 1 slow file")
                .contains("pytest exited with status 4").contains("may differ");
    }

    @Test
    void withATargetButNoDurationsTheMaximumIsUsedWithAWarning() {
        LocalPlanSource source = new LocalPlanSource(new LocalPlanSource.Settings(2, false, "", Duration.ofSeconds(20), 5),
                FileWeights.uniform(), files -> TestListing.of(Map.of()), warnings::add);
        assertThat(source.plan(List.of("a.py", "b.py")).block().parallelism()).isEqualTo(5);
        assertThat(warnings).singleElement().asString().contains("needs test durations").contains("5");
    }

    @Test
    void aTargetNoParallelismMeetsIsWarnedWithThePredictedTime() {
        LocalPlanSource source = new LocalPlanSource(new LocalPlanSource.Settings(1, false, "", Duration.ofSeconds(20), 3),
                FileWeights.fromTestDurations(Map.of("a.py::t", 30.0, "b.py::t", 5.0)), files -> TestListing.of(Map.of()),
                warnings::add);
        LocalPlan plan = source.localPlan(List.of("a.py", "b.py")).block();
        assertThat(plan.plan().parallelism()).isEqualTo(3);
        assertThat(warnings).singleElement().asString()
                .isEqualTo("no parallelism up to the maximum of 3 meets the target time of 20 s: at 3 the slowest node "
                        + "is predicted to take 30.0 s");
    }
}
