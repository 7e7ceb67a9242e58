package io.bktec.coverage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CoverageFilesTest {
    @TempDir
    Path tmp;

    @Test
    void eachProcessWritesBesideItsStream() {
        Path stream = Path.of("/t/attempt-1/batch-2.stream.jsonl");
        assertThat(CoverageFiles.forProcess(stream)).isEqualTo(Path.of("/t/attempt-1/batch-2.coverage"));
        assertThat(CoverageFiles.environment(Path.of("/t/attempt-0/fork-server.stream.jsonl")))
                .isEqualTo(Map.of("COVERAGE_FILE", "/t/attempt-0/fork-server.coverage"));
    }

    @Test
    void aProcessesDataIsItsFileAndItsSuffixedSiblingsButNeverSqlitesOwn() {
        assertThat(CoverageFiles.isData("batch-1.coverage")).isTrue();
        assertThat(CoverageFiles.isData("fork-server.coverage.host.123.XyZ")).isTrue();
        assertThat(CoverageFiles.isData("batch-1.coverage-journal")).isFalse();
        assertThat(CoverageFiles.isData("batch-1.coverage.host.1.x-wal")).isFalse();
        assertThat(CoverageFiles.isData("batch-1.coveragex")).isFalse();
        assertThat(CoverageFiles.isData("batch-1.stream.jsonl")).isFalse();
        assertThat(CoverageFiles.isData(".coverage")).isFalse();
    }

    @Test
    void allFindsEveryAttemptsFilesInNameOrder() throws Exception {
        Files.createDirectories(tmp.resolve("attempt-0"));
        Files.createDirectories(tmp.resolve("attempt-1"));
        for (String name : new String[]{"attempt-1/batch-1.coverage", "attempt-0/w2.coverage",
                "attempt-0/fork-server.coverage.h.1.a", "attempt-0/w1.coverage-journal", "attempt-0/w1.stream.jsonl"}) {
            Files.writeString(tmp.resolve(name), "");
        }
        assertThat(CoverageFiles.all(tmp)).containsExactly(tmp.resolve("attempt-0/fork-server.coverage.h.1.a"),
                tmp.resolve("attempt-0/w2.coverage"), tmp.resolve("attempt-1/batch-1.coverage"));
    }
}
