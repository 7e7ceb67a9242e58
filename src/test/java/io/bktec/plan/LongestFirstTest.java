package io.bktec.plan;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LongestFirstTest {
    @Test
    void weightsAreSummedPerFileAndUnknownFilesGetTheMedian() {
        FileWeights w = FileWeights.fromTestDurations(Map.of("a.py::t1", 1.0, "a.py::t2", 2.0, "b.py::t", 10.0,
                "c.py::T::t", 4.0, "./d.py::t", 5.0));
        assertThat(w.of("a.py")).isEqualTo(3.0);
        assertThat(w.of("b.py::anything")).isEqualTo(10.0);
        assertThat(w.of("d.py")).isEqualTo(5.0);
        assertThat(w.of("new.py")).isEqualTo(4.5); // median of 3, 4, 5, 10
        assertThat(w.known()).isTrue();
        assertThat(FileWeights.fromTestDurations(Map.of()).known()).isFalse();
    }

    @Test
    void theHeavyFileGetsANodeToItself() {
        FileWeights w = FileWeights.fromTestDurations(Map.of("big.py::t", 10.0, "a.py::t", 3.0, "b.py::t", 3.0,
                "c.py::t", 3.0, "d.py::t", 1.0));
        TestPlan plan = LocalPlanner.longestFirst(List.of("a.py", "b.py", "big.py", "c.py", "d.py"), w, 2);
        assertThat(plan.taskFor(0).tests()).extracting(TestCase::path).containsExactly("big.py");
        assertThat(plan.taskFor(1).tests()).extracting(TestCase::path).containsExactly("a.py", "b.py", "c.py", "d.py");
        assertThat(LocalPlanner.predictedSeconds(plan, w)).containsExactly(10.0, 10.0);
    }

    @Property
    void withoutDurationsItIsExactlyBktecsRoundRobin(@ForAll @Size(max = 40) List<@net.jqwik.api.constraints.StringLength(max = 6) String> files,
                                                     @ForAll @IntRange(min = 1, max = 9) int nodes) {
        assertThat(LocalPlanner.longestFirst(files, FileWeights.uniform(), nodes))
                .isEqualTo(LocalPlanner.roundRobin(files, nodes));
    }

    @Property
    void makespanIsWithinTheLptBoundAndEveryFileRunsOnce(
            @ForAll @Size(min = 1, max = 60) List<@DoubleRange(min = 0.01, max = 100) Double> seconds,
            @ForAll @IntRange(min = 1, max = 8) int nodes) {
        Map<String, Double> durations = new HashMap<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < seconds.size(); i++) {
            files.add("f" + i + ".py");
            durations.put("f" + i + ".py::t", seconds.get(i));
        }
        FileWeights w = FileWeights.fromTestDurations(durations);
        TestPlan plan = LocalPlanner.longestFirst(files, w, nodes);
        double[] load = LocalPlanner.predictedSeconds(plan, w);
        double makespan = java.util.Arrays.stream(load).max().orElse(0);
        double total = seconds.stream().mapToDouble(Double::doubleValue).sum();
        double longest = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double lowerBound = Math.max(longest, total / nodes);
        // Graham's bound for greedy list scheduling (LPT is one): total/P + (1 - 1/P) * longest.
        assertThat(makespan).isGreaterThanOrEqualTo(lowerBound - 1e-9)
                .isLessThanOrEqualTo(total / nodes + (1 - 1.0 / nodes) * longest + 1e-9);
        List<String> all = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            plan.taskFor(node).tests().forEach(t -> all.add(t.path()));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(files);
    }
}
