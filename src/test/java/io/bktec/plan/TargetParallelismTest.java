package io.bktec.plan;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetParallelismTest {
    // Ten files of 10 s: 100 s in all.
    private final List<String> files = new ArrayList<>();
    private final FileWeights weights;

    TargetParallelismTest() {
        java.util.Map<String, Double> durations = new java.util.HashMap<>();
        for (int i = 0; i < 10; i++) {
            files.add("f" + i + ".py");
            durations.put("f" + i + ".py::t", 10.0);
        }
        weights = FileWeights.fromTestDurations(durations);
    }

    private TargetParallelism.Choice choose(Duration target, int max) {
        return TargetParallelism.choose(p -> LocalPlanner.deal(ExampleSplit.items(files, weights, p, Map.of()), p),
                target, max);
    }

    @Test
    void theSmallestParallelismThatMeetsTheTargetIsChosen() {
        TargetParallelism.Choice choice = choose(Duration.ofSeconds(30), 12);
        assertThat(choice.met()).isTrue();
        assertThat(choice.plan().plan().parallelism()).isEqualTo(4); // 3 nodes need 40 s, 4 need 30 s
        assertThat(choice.plan().slowestSeconds()).isEqualTo(30.0);
        assertThat(choose(Duration.ofSeconds(100), 12).plan().plan().parallelism()).isEqualTo(1);
    }

    @Test
    void whenNoParallelismMeetsItTheMaximumIsChosenAndSaysSo() {
        TargetParallelism.Choice choice = choose(Duration.ofSeconds(5), 12);
        assertThat(choice.met()).isFalse();
        assertThat(choice.plan().plan().parallelism()).isEqualTo(12);
        assertThat(choice.plan().slowestSeconds()).isEqualTo(10.0);
        assertThat(choose(Duration.ofSeconds(30), 3).plan().plan().parallelism()).isEqualTo(3);
    }

    @Test
    void aMaximumBelowOneIsRefused() {
        assertThatThrownBy(() -> choose(Duration.ofSeconds(5), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
