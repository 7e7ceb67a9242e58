package io.bktec.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.bktec.results.Fixtures.RESULTS;
import static io.bktec.results.Fixtures.SAMPLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationSourcesTest {
    @TempDir
    Path tmp;
    private final List<String> notes = new ArrayList<>();
    private final DurationSources sources = new DurationSources(SAMPLE, notes::add);

    @Test
    void junitAndCollectorResultsGiveTheSameTestsAsTheResultReadersDo() throws Exception {
        Map<String, Double> junit = sources.read(RESULTS.resolve("junit/junit-full.xml"));
        Map<String, Double> collector = sources.read(RESULTS.resolve("json/collector-full.json"));
        assertThat(junit).containsKey("tests/test_classes.py::TestOuter::TestInner::test_inner_fails")
                .containsKey("tests/api.v2/test_dotted.py::TestVersioned::test_v2_status");
        assertThat(collector).containsKey("tests/test_classes.py::TestOuter::TestInner::test_inner_fails");
        assertThat(junit.keySet()).allMatch(id -> id.contains("::"));
        assertThat(junit.values()).allMatch(seconds -> seconds >= 0);
        // Both name the same tests of the same run (collection errors are left out: they have no test to weigh).
        assertThat(collector.keySet()).containsExactlyInAnyOrderElementsOf(junit.keySet());
        assertThat(junit.keySet()).hasSizeGreaterThan(40);
    }

    @Test
    void pytestSplitFilesAreReadAsTheyAre() throws Exception {
        Path file = Files.writeString(tmp.resolve(".test_durations"), "  {\"a.py::t\": 1.5, \"b.py\": 2}");
        assertThat(sources.read(file)).containsExactlyInAnyOrderEntriesOf(Map.of("a.py::t", 1.5, "b.py", 2.0));
        assertThat(DurationSources.isDurationsFile(file)).isTrue();
        assertThat(DurationSources.isDurationsFile(RESULTS.resolve("junit/junit-full.xml"))).isFalse();
        assertThat(DurationSources.isDurationsFile(tmp)).isFalse();
    }

    @Test
    void aDirectoryIsSearchedRecursivelyInPathOrderAndALaterFileWins() throws Exception {
        Files.createDirectories(tmp.resolve("job-1/nested"));
        Files.writeString(tmp.resolve("job-1/nested/a.json"), "{\"a.py::t\": 1, \"b.py::t\": 1}");
        Files.writeString(tmp.resolve("job-2.json"), "{\"a.py::t\": 3}");
        Files.writeString(tmp.resolve("package.json"), "{\"name\": \"x\", \"retries\": 3}");
        Files.writeString(tmp.resolve("broken.xml"), "<testsuites><testcase");
        Files.writeString(tmp.resolve("notes.txt"), "{\"c.py::t\": 9}");
        Files.copy(RESULTS.resolve("junit/junit-retry.xml"), tmp.resolve("job-3.xml"));
        Map<String, Double> durations = sources.read(tmp);
        assertThat(durations).containsEntry("a.py::t", 3.0).containsEntry("b.py::t", 1.0)
                .doesNotContainKeys("c.py::t", "retries");
        assertThat(durations.keySet()).anyMatch(id -> id.startsWith("tests/"));
        assertThat(notes).singleElement().asString().startsWith("passed over broken.xml");
    }

    @Test
    void mergingKeepsEveryInputAndLetsTheLastWin() throws Exception {
        Path old = Files.writeString(tmp.resolve("old.json"), "{\"a.py::t\": 1, \"gone.py::t\": 4}");
        Path fresh = Files.writeString(tmp.resolve("new.json"), "{\"a.py::t\": 2}");
        DurationSources.Merged merged = sources.merge(List.of(old, fresh));
        assertThat(merged.durations()).containsExactlyInAnyOrderEntriesOf(Map.of("a.py::t", 2.0, "gone.py::t", 4.0));
        assertThat(merged.inputsWithDurations()).isEqualTo(2);
    }

    @Test
    void aFileOfNoKnownKindIsRefusedByName() throws Exception {
        Path text = Files.writeString(tmp.resolve("durations.txt"), "a.py::t 1.0\n");
        assertThatThrownBy(() -> sources.read(text)).isInstanceOf(ResultFormatException.class)
                .hasMessageContaining("durations.txt").hasMessageContaining("is not durations, JUnit XML or collector JSON");
    }
}
