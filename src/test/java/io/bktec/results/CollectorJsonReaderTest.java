package io.bktec.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.bktec.results.Fixtures.RESULTS;
import static io.bktec.results.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectorJsonReaderTest {
    private final CollectorJsonReader reader = new CollectorJsonReader();

    @TempDir
    Path dir;

    @Test
    void fullRunGivesEveryRecordWithExactNodeIds() throws Exception {
        List<TestResult> results = read(reader, RESULTS.resolve("json/collector-full.json"));
        assertThat(results).hasSize(52);
        assertThat(results.stream().filter(r -> r.status() == TestStatus.FAILED && !r.collectionError())
                .map(TestResult::nodeId)).containsExactlyElementsOf(Fixtures.LIST_A);
        assertThat(results.stream().filter(r -> r.status() == TestStatus.SKIPPED)).hasSize(6);
        assertThat(results.stream().filter(r -> r.status() == TestStatus.PASSED)).hasSize(25);
    }

    @Test
    void aWarmedUpReaderReadsExactlyWhatAFreshOneReads() throws Exception {
        CollectorJsonReader warmed = new CollectorJsonReader();
        warmed.prepare();
        assertThat(read(warmed, RESULTS.resolve("json/collector-full.json")))
                .isNotEmpty()
                .isEqualTo(read(new CollectorJsonReader(), RESULTS.resolve("json/collector-full.json")));
    }

    @Test
    void parameterIdContainingDoubleColonIsRejoined() throws Exception {
        TestResult ab = read(reader, RESULTS.resolve("json/collector-full.json")).stream()
                .filter(r -> r.name().equals("b]") && r.scope().endsWith("test_normalise[a")).findFirst().orElseThrow();
        assertThat(ab.nodeId()).isEqualTo("tests/test_params.py::test_normalise[a::b]");
        assertThat(ab.muteKey()).isEqualTo("tests/test_params.py::test_normalise[a/b]");
    }

    @Test
    void collectionErrorIsTaggedAndUsesTheNameAlone() throws Exception {
        List<TestResult> results = read(reader, RESULTS.resolve("json/collector-collection-error.json"));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.collectionError()).isTrue();
            assertThat(r.nodeId()).isEqualTo("tests/test_import_error.py");
            assertThat(r.status()).isEqualTo(TestStatus.FAILED);
        });
    }

    @Test
    void idsAreRebasedOntoTheWorkingDirectoryWhenPytestRanFromASubdirectory() throws Exception {
        List<TestResult> results = read(reader, RESULTS.resolve("json/collector-subdir.json"));
        assertThat(results).extracting(TestResult::nodeId).contains("test_basic.py::test_failing_assertion",
                "test_classes.py::TestOuter::TestInner::test_inner_fails");
        // The mute key stays as the server stores it.
        assertThat(results).extracting(TestResult::scope).contains("tests/test_basic.py");
    }

    @Test
    void mergedFileKeepsBothRunsAndDurationsAreRead() throws Exception {
        List<TestResult> results = read(reader, RESULTS.resolve("json/collector-merged.json"));
        assertThat(results).hasSize(43);
        assertThat(results).allMatch(r -> r.durationSeconds() >= 0).anyMatch(r -> r.durationSeconds() > 0);
    }

    @Test
    void emptyArrayIsNoResults() throws Exception {
        assertThat(read(reader, RESULTS.resolve("json/collector-subdir-retry.json"))).isEmpty();
    }

    @Test
    void brokenFilesAreFormatErrorsNotCrashes() throws Exception {
        for (String text : List.of("", "{}", "[{\"scope\": \"a\"", "[1, 2]", "not json", "[{\"scope\": \"a\"}")) {
            Path file = dir.resolve("bad.json");
            Files.writeString(file, text);
            assertThatThrownBy(() -> read(reader, file)).as(text).isInstanceOf(ResultFormatException.class);
        }
    }

    @Test
    void deepNestingInIgnoredFieldsIsRejectedNotAStackOverflow() throws Exception {
        Path file = dir.resolve("deep.json");
        Files.writeString(file, "[{\"history\": " + "[".repeat(5000) + "]".repeat(5000) + "}]");
        assertThatThrownBy(() -> read(reader, file)).isInstanceOf(ResultFormatException.class);
    }

    @Test
    void keysAreCaseInsensitiveAndOddTagTypesTolerated() throws Exception {
        Path file = dir.resolve("odd.json");
        Files.writeString(file, "[{\"Scope\": \"t.py\", \"NAME\": \"test_x\", \"Result\": \"failed\", "
                + "\"tags\": {\"n\": 1, \"o\": {\"x\": [1]}}, \"extra\": {\"a\": [1, {\"b\": 2}]}}, "
                + "{\"scope\": \"t.py\", \"name\": \"test_y\", \"result\": \"weird\"}]");
        List<TestResult> results = read(reader, file);
        assertThat(results).extracting(TestResult::nodeId).containsExactly("t.py::test_x", "t.py::test_y");
        assertThat(results).extracting(TestResult::status).containsExactly(TestStatus.FAILED, TestStatus.UNKNOWN);
    }
}
