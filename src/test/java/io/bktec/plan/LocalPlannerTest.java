package io.bktec.plan;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPlannerTest {
    private static List<String> paths(TestPlan plan, int node) {
        return plan.taskFor(node).tests().stream().map(TestCase::path).toList();
    }

    @Test
    void bktecExampleSortsThenDealsRoundRobin() {
        TestPlan plan = LocalPlanner.roundRobin(List.of("a", "c", "b", "e", "d"), 3);
        assertThat(paths(plan, 0)).containsExactly("a", "d");
        assertThat(paths(plan, 1)).containsExactly("b", "e");
        assertThat(paths(plan, 2)).containsExactly("c");
        assertThat(plan.local()).isTrue();
        assertThat(plan.mutedTests()).isEmpty();
    }

    @Test
    void moreNodesThanFilesLeavesEmptyTasksAndDuplicatesAreKept() {
        TestPlan plan = LocalPlanner.roundRobin(List.of("x", "x"), 4);
        assertThat(paths(plan, 0)).containsExactly("x");
        assertThat(paths(plan, 1)).containsExactly("x");
        assertThat(plan.taskFor(3).isEmpty()).isTrue();
        assertThat(plan.taskFor(99).isEmpty()).isTrue();
    }

    @Test
    void sortsByCodePointNotUtf16Units() {
        // U+1F600 (surrogate pair, UTF-8 F0…) sorts after U+FFFD (UTF-8 EF…) in byte order, before it in UTF-16 order.
        String emoji = "\uD83D\uDE00.py";
        String replacement = "\uFFFD.py";
        TestPlan plan = LocalPlanner.roundRobin(List.of(emoji, replacement), 2);
        assertThat(paths(plan, 0)).containsExactly(replacement);
        assertThat(paths(plan, 1)).containsExactly(emoji);
    }

    @Property
    void everyFileRunsExactlyOnceAcrossAllNodes(@ForAll @Size(max = 60) List<@net.jqwik.api.constraints.StringLength(max = 8) String> files,
                                                @ForAll @IntRange(min = 1, max = 12) int nodes) {
        TestPlan plan = LocalPlanner.roundRobin(files, nodes);
        List<String> all = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            all.addAll(paths(plan, node));
            assertThat(plan.taskFor(node).tests().size()).isBetween(files.size() / nodes, files.size() / nodes + 1);
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(files);
        // Every node computes the same plan from the same files, whatever order it discovered them in.
        List<String> reversed = new ArrayList<>(files);
        java.util.Collections.reverse(reversed);
        assertThat(LocalPlanner.roundRobin(reversed, nodes)).isEqualTo(plan);
    }
}
