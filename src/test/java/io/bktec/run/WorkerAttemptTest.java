package io.bktec.run;

import io.bktec.worker.WorkItem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerAttemptTest {
    @Test
    void filesGoLongestFirstInPlanOrderAmongEquals() {
        Map<String, Double> seconds = Map.of("a.py", 1.0, "b.py", 5.0, "c.py", 1.0, "d.py", 3.0);
        assertThat(WorkerAttempt.items(List.of("a.py", "b.py", "c.py", "d.py"), Set.of(), seconds::get))
                .extracting(WorkItem::file).containsExactly("b.py", "d.py", "a.py", "c.py");
    }

    @Test
    void retriedNodeIdsAreGroupedByFileAndCrashedTestsComeLastOnTheirOwn() {
        List<String> retry = List.of("a.py::t1", "b.py::t1", "a.py::t2", "b.py::crash", "c.py::t");
        assertThat(WorkerAttempt.items(retry, Set.of("b.py::crash"), id -> 1.0)).containsExactly(
                new WorkItem("a.py", List.of("a.py::t1", "a.py::t2"), 2.0),
                new WorkItem("b.py", List.of("b.py::t1"), 1.0),
                new WorkItem("c.py", List.of("c.py::t"), 1.0),
                new WorkItem("b.py", List.of("b.py::crash"), 1.0));
    }
}
