package io.bktec.stream;

import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResultComparisonTest {
    private static TestResult result(String id, TestStatus status, String reason) {
        return new TestResult("s", id, id, status, 0, reason, false);
    }

    @Test
    void namesEachTestWhoseOutcomeDiffersOrThatOneSideLacks() {
        List<TestResult> stream = List.of(result("a", TestStatus.PASSED, ""),
                result("b", TestStatus.FAILED, "error at teardown: RuntimeError"), result("c", TestStatus.SKIPPED, ""));
        List<TestResult> file = List.of(result("a", TestStatus.PASSED, ""), result("b", TestStatus.PASSED, ""),
                result("d", TestStatus.FAILED, "x"));
        assertThat(ResultComparison.differences(stream, file)).containsExactly(
                "b: failed in the results stream (error at teardown: RuntimeError), passed in the result file",
                "c: skipped in the results stream, absent from the result file",
                "d: failed in the result file, absent from the results stream");
    }

    @Test
    void agreeingSidesAndTestsACrashCutShortAreNoDifference() {
        TestResult crashed = new TestResult("s", "x", "x", TestStatus.FAILED, 0, "crashed", false, true);
        TestResult notRun = result("y", TestStatus.NOT_RUN, "");
        // a file that reports a test twice (call passed, teardown error) counts the failure
        List<TestResult> file = List.of(result("a", TestStatus.PASSED, ""), result("a", TestStatus.FAILED, ""));
        assertThat(ResultComparison.differences(List.of(result("a", TestStatus.FAILED, ""), crashed, notRun), file))
                .isEmpty();
    }
}
