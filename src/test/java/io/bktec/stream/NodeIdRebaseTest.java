package io.bktec.stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NodeIdRebaseTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/r|/r|tests/t.py::c::f[x/y]|tests/t.py::c::f[x/y]",
            "/r|/r/svc|svc/tests/t.py::f|tests/t.py::f",
            "/r/svc|/r|tests/t.py::f[a::b]|svc/tests/t.py::f[a::b]",
            "/r/a|/r/b|t.py::f|../a/t.py::f",
            "/r|/r/svc|svc/tests|tests",
            "/r|/r/svc|svc|.",
            "|/r/svc|svc/t.py::f|svc/t.py::f"})
    void movesTheFilePartFromTheRootdirToTheWorkingDirectory(String rootdir, String workingDirectory, String pytestId,
                                                             String runnable) {
        NodeIdRebase rebase = NodeIdRebase.between(rootdir == null ? "" : rootdir, Path.of(workingDirectory));
        assertThat(rebase.runnable(pytestId)).isEqualTo(runnable);
    }
}
