package io.bktec.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAndSkipsNonNumbers() throws Exception {
        Path file = dir.resolve(".test_durations");
        DurationsFile.write(file, Map.of("tests/a.py::test_x", 1.25, "tests/b.py::T::test[1]", 0.0000004));
        assertThat(Files.readString(file)).contains("\"tests/a.py::test_x\" : 1.25");
        assertThat(DurationsFile.read(file)).containsEntry("tests/a.py::test_x", 1.25).hasSize(2);
        Files.writeString(file, "{\"a.py::t\": 2, \"b.py::t\": \"slow\", \"c.py::t\": [1]}");
        assertThat(DurationsFile.read(file)).containsExactly(Map.entry("a.py::t", 2.0));
    }

    @Test
    void brokenFilesAreFormatErrors() throws Exception {
        Path file = dir.resolve("d.json");
        Files.writeString(file, "[1, 2]");
        assertThatThrownBy(() -> DurationsFile.read(file)).isInstanceOf(ResultFormatException.class);
        Files.writeString(file, "{\"a\": ");
        assertThatThrownBy(() -> DurationsFile.read(file)).isInstanceOf(ResultFormatException.class);
    }
}
