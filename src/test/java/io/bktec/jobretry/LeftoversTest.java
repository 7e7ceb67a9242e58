package io.bktec.jobretry;

import io.bktec.outcome.TestRecord;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LeftoversTest {
    private static TestRecord latest(String nodeId, TestStatus status) {
        String name = nodeId.substring(nodeId.indexOf("::") + 2);
        return new TestRecord(new TestResult("t", name, nodeId, status, 0.1, "", false), 1, false, false);
    }

    @Test
    void unmutedFailuresAndTestsThatNeverRanAreLeftAndNothingElse() {
        List<TestRecord> ledger = List.of(latest("t.py::ok", TestStatus.PASSED),
                latest("t.py::broken", TestStatus.FAILED), latest("t.py::muted", TestStatus.FAILED),
                latest("t.py::skipped", TestStatus.SKIPPED), latest("t.py::unrun", TestStatus.NOT_RUN),
                new TestRecord(new TestResult("", "u", "u.py", TestStatus.FAILED, 0, "ImportError", true), 1, true, false));
        assertThat(Leftovers.of(ledger, Set.of("t/muted"))).containsExactly("t.py::broken", "t.py::unrun", "u.py");
    }

    @Test
    void aLeftoverWithoutAnIdLeavesNothingToRerunAlone() {
        assertThat(Leftovers.of(List.of(latest("t.py::broken", TestStatus.FAILED),
                new TestRecord(new TestResult("t", "x", "", TestStatus.FAILED, 0, "", false), 1, true, false)), Set.of()))
                .isEmpty();
    }
}
