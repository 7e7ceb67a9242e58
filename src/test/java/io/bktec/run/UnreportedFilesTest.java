package io.bktec.run;

import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UnreportedFilesTest {
    private static TestResult passed(String nodeId) {
        return new TestResult("s", nodeId, nodeId, TestStatus.PASSED, 0, "", false);
    }

    @Test
    void filesAfterTheLastReportedFileAreNotRunAndEmptyOrEarlierSilentFilesAreNot() {
        List<TestResult> notRun = UnreportedFiles.notRun(
                List.of("a.py", "empty_middle.py", "b.py", "c.py", "empty_end.py", "d.py::test_x"),
                List.of(passed("a.py::t"), passed("b.py::t")), file -> !file.startsWith("empty"), false);
        assertThat(notRun).extracting(TestResult::nodeId).containsExactly("c.py", "d.py::test_x");
        assertThat(notRun).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(TestStatus.NOT_RUN);
            assertThat(r.failureReason()).contains("nor from any planned after it");
        });
    }

    @Test
    void withNoResultFileEveryPlannedFileIsNamed() {
        assertThat(UnreportedFiles.notRun(List.of("a.py", "b.py"), List.of(), file -> true, true))
                .extracting(TestResult::nodeId, TestResult::failureReason)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("a.py", "not run: the test process exited 0 without "
                        + "writing its result file"), org.assertj.core.groups.Tuple.tuple("b.py", "not run: the test "
                        + "process exited 0 without writing its result file"));
    }

    @Test
    void everyFileReportedMeansNothingIsNamed() {
        assertThat(UnreportedFiles.notRun(List.of("a.py::t1", "a.py::t2", "b.py"),
                List.of(passed("a.py::t1"), passed("b.py::t")), file -> true, false)).isEmpty();
    }

    @Test
    void onlyPytestsOwnSelectionOptionsCount() {
        assertThat(UnreportedFiles.commandSelects(List.of("python3", "-m", "pytest", "{{testExamples}}"))).isFalse();
        assertThat(UnreportedFiles.commandSelects(List.of("pytest", "-x", "--junit-xml={{resultPath}}"))).isFalse();
        assertThat(UnreportedFiles.commandSelects(List.of("python3", "-m", "pytest", "-k", "fast"))).isTrue();
        assertThat(UnreportedFiles.commandSelects(List.of("pytest", "-mslow"))).isTrue();
        assertThat(UnreportedFiles.commandSelects(List.of("pytest", "--deselect=a.py::t"))).isTrue();
        assertThat(UnreportedFiles.commandSelects(List.of("tox", "--", "-k", "x"))).isTrue();
    }
}
