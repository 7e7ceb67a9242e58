package io.bktec.report;

import io.bktec.outcome.ExitStatus;
import io.bktec.outcome.RunSummary;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnnotationTest {
    private static TestResult failed(String id, String reason) {
        return new TestResult("t.py", id, id, TestStatus.FAILED, 0, reason, false);
    }

    private static RunSummary summary(List<TestResult> failed, List<TestResult> flaky, List<TestResult> mutedFailed) {
        return new RunSummary(10, flaky.size(), failed.size(), 2, 0, mutedFailed.size(), 0, 0, failed, flaky, mutedFailed,
                List.of(), List.of());
    }

    @Test
    void failuresAreAnErrorWithReasonsAndFlakyTestsAWarning() {
        Annotation.Content failing = Annotation.of("pytest", summary(List.of(failed("t.py::test_x", "assert <b>1</b> == 2")),
                List.of(), List.of()), new ExitStatus.Decision(1, "1 test failed"), Annotation.LIMIT_BYTES);
        assertThat(failing.style()).isEqualTo(Annotation.Style.ERROR);
        assertThat(failing.markdown()).contains("Failed tests (1)").contains("- `t.py::test_x` — assert &lt;b&gt;1&lt;/b&gt; == 2")
                .contains("1 failed · 10 passed · 2 skipped").contains("exit status 1");
        Annotation.Content flaky = Annotation.of("pytest", summary(List.of(), List.of(failed("t.py::test_f", "")), List.of()),
                new ExitStatus.Decision(0, "all tests passed"), Annotation.LIMIT_BYTES);
        assertThat(flaky.style()).isEqualTo(Annotation.Style.WARNING);
        assertThat(flaky.markdown()).contains("Flaky tests (failed, then passed on retry) (1)");
        Annotation.Content clean = Annotation.of("pytest", summary(List.of(), List.of(), List.of()),
                new ExitStatus.Decision(0, "all tests passed"), Annotation.LIMIT_BYTES);
        assertThat(clean.style()).isEqualTo(Annotation.Style.SUCCESS);
    }

    @Test
    void aHungTestsStacksAreFoldedUnderItsOneLineReason() {
        String reason = "timed out after 3 s at t.py:9 (in test_hang)\nCurrent thread 0x1 (most recent call first):\n"
                + "  File \"/app/t.py\", line 9 in test_hang <locals>";
        Annotation.Content content = Annotation.of("pytest", summary(List.of(failed("t.py::test_hang", reason)),
                List.of(), List.of()), new ExitStatus.Decision(1, "1 test failed"), Annotation.LIMIT_BYTES);
        assertThat(content.markdown()).contains("- `t.py::test_hang` — timed out after 3 s at t.py:9 (in test_hang)\n"
                + "  <details><summary>stacks</summary>")
                .contains("line 9 in test_hang &lt;locals&gt;</pre>").doesNotContain("test_hang) Current thread");
    }

    @Test
    void hugeFailureListsAreCutToFitTheLimitWithACount() {
        List<TestResult> many = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            many.add(failed("tests/test_generated_" + i + ".py::test_case_with_a_long_name_" + i, "AssertionError: " + "x".repeat(80)));
        }
        Annotation.Content content = Annotation.of("pytest", summary(many, List.of(), List.of()),
                new ExitStatus.Decision(1, "50000 tests failed"), Annotation.LIMIT_BYTES);
        int bytes = content.markdown().getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThanOrEqualTo(Annotation.LIMIT_BYTES).isGreaterThan(Annotation.LIMIT_BYTES / 2);
        assertThat(content.markdown()).containsPattern("- … and \\d+ more").contains("Failed tests (50000)");
    }
}
