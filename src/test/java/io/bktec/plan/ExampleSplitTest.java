package io.bktec.plan;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExampleSplitTest {
    // 20 s in all: at 2 nodes one node should carry 10 s, so a file over 5 s is split.
    private final FileWeights weights = FileWeights.fromTestDurations(Map.of(
            "slow.py::a", 4.0, "slow.py::b", 2.0, "slow.py::c", 1.0,
            "mid.py::t", 5.0, "a.py::t", 4.0, "b.py::t", 4.0));
    private final List<String> files = List.of("a.py", "b.py", "mid.py", "slow.py");

    @Test
    void aFileOverHalfOfOneNodesShareIsSplitAndOneAtItIsNot() {
        assertThat(ExampleSplit.heavyFiles(files, weights, 2)).containsExactly("slow.py");
        assertThat(ExampleSplit.heavyFiles(files, weights, 4)).containsExactly("a.py", "b.py", "mid.py", "slow.py");
        assertThat(ExampleSplit.heavyFiles(files, weights, 1)).isEmpty();
        assertThat(ExampleSplit.heavyFiles(files, FileWeights.uniform(), 4)).isEmpty();
    }

    @Test
    void eachTestWeighsItsOwnDurationAndUnknownTestsShareWhatIsLeft() {
        List<PlanItem> items = ExampleSplit.items(files, weights, 2,
                Map.of("slow.py", List.of("slow.py::a", "slow.py::new1", "slow.py::b", "slow.py::new2")));
        assertThat(items).containsExactly(
                new PlanItem("a.py", false, 4.0), new PlanItem("b.py", false, 4.0), new PlanItem("mid.py", false, 5.0),
                new PlanItem("slow.py::a", true, 4.0), new PlanItem("slow.py::new1", true, 0.5),
                new PlanItem("slow.py::b", true, 2.0), new PlanItem("slow.py::new2", true, 0.5));
    }

    @Test
    void aSlowFileWhoseTestsWereNotListedOrWhoHasOneTestStaysWhole() {
        assertThat(ExampleSplit.items(files, weights, 2, Map.of())).extracting(PlanItem::runnable)
                .containsExactly("a.py", "b.py", "mid.py", "slow.py");
        assertThat(ExampleSplit.items(files, weights, 2, Map.of("slow.py", List.of("slow.py::a"))))
                .contains(new PlanItem("slow.py", false, 7.0));
    }

    @Test
    void testsThatOutgrewTheirFileGetNoNegativeShare() {
        List<PlanItem> items = ExampleSplit.items(files, weights, 2,
                Map.of("slow.py", List.of("slow.py::a", "slow.py::b", "slow.py::c", "slow.py::brand_new")));
        assertThat(items).contains(new PlanItem("slow.py::brand_new", true, 0.0));
    }

    @Test
    void splittingLetsTheSlowFileSpreadAcrossNodes() {
        LocalPlan plan = LocalPlanner.deal(ExampleSplit.items(files, weights, 2,
                Map.of("slow.py", List.of("slow.py::a", "slow.py::b", "slow.py::c"))), 2);
        assertThat(plan.slowestSeconds()).isEqualTo(10.0);
        assertThat(plan.splitFiles()).isEqualTo(1);
        assertThat(plan.nodes()).extracting(LocalPlan.NodeLoad::tests).containsExactly(2, 1);
        assertThat(plan.nodes()).extracting(LocalPlan.NodeLoad::splitFiles).containsExactly(1, 1);
        // Whole, the 7 s file leaves longest-first no way to 10 s.
        assertThat(LocalPlanner.deal(ExampleSplit.items(files, weights, 2, Map.of()), 2).slowestSeconds())
                .isEqualTo(11.0);
    }

    @Test
    void withATagFilterEveryChosenTestStandsAloneAndAnUncollectableFileRunsWhole() {
        TestListing listing = new TestListing(Map.of("slow.py", List.of("slow.py::a", "slow.py::unknown"),
                "a.py", List.of("a.py::t")), java.util.Set.of("broken.py"));
        List<PlanItem> items = ExampleSplit.chosenTests(List.of("a.py", "b.py", "broken.py", "slow.py", "a.py"), weights,
                listing);
        // The typical test is the median of the known ones: 1, 2, 4, 4, 4, 5 -> 4.
        assertThat(items).containsExactly(new PlanItem("a.py::t", true, 4.0),
                new PlanItem("broken.py", false, weights.of("broken.py")),
                new PlanItem("slow.py::a", true, 4.0), new PlanItem("slow.py::unknown", true, 4.0));
    }
}
