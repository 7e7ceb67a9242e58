package io.bktec.discovery;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileDiscoveryTest {
    @TempDir
    Path root;
    private final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final String DEFAULT = "**/{*_test,test_*}.py";

    @BeforeEach
    void tree() throws IOException {
        for (String file : List.of("test_root.py", "b/test_b.py", "a/test_a.py", "a/helper.py", "a/deep/x/y_test.py",
                ".hidden/test_hidden.py", "node_modules/test_nm.py", "a/node_modules/test_nm2.py", "tests/api/test_api.py",
                "tests/api.v2/test_dotted.py", "tests/unit/test_unit.py", "notes_test.txt")) {
            Path p = root.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "");
        }
    }

    /** bktec's glob on top of pytest's default collection rules (no pytest configuration). */
    private List<String> find(String include, String exclude) throws DiscoveryException {
        return new FileDiscovery(root, warnings::add).find(new DiscoveryRequest(Optional.of(include), exclude,
                PytestCollectionConfig.defaults(root))).files();
    }

    @Test
    void defaultPatternMatchesAtEveryDepthIncludingTheRootInWalkOrderButNotInHiddenDirs() throws Exception {
        assertThat(find(DEFAULT, "")).containsExactly("a/deep/x/y_test.py", "a/test_a.py",
                "b/test_b.py", "test_root.py", "tests/api/test_api.py", "tests/api.v2/test_dotted.py",
                "tests/unit/test_unit.py");
        // pytest's norecursedirs ".*" leaves hidden directories out, unless a pattern names one
        assertThat(find(".hidden/**/test_*.py", "")).containsExactly(".hidden/test_hidden.py");
    }

    @Test
    void literalPrefixIsTheRootAndDotSlashIsDropped() throws Exception {
        assertThat(find("./tests/**/test_*.py", "")).containsExactly("tests/api/test_api.py",
                "tests/api.v2/test_dotted.py", "tests/unit/test_unit.py");
        assertThat(find("tests/*/test_*.py", "")).hasSize(3);
    }

    @Test
    void excludePrunesMatchingDirectoriesAndFiles() throws Exception {
        assertThat(find(DEFAULT, "tests/api")).doesNotContain("tests/api/test_api.py").contains("tests/api.v2/test_dotted.py");
        assertThat(find(DEFAULT, "**/test_a.py")).doesNotContain("a/test_a.py").contains("b/test_b.py");
        // We do better than bktec here: "./" and a trailing slash on the exclude pattern still work.
        assertThat(find(DEFAULT, "./tests/api/")).doesNotContain("tests/api/test_api.py");
    }

    @Test
    void starStaysInOneSegmentAndQuestionMarkIsOneCharacter() throws Exception {
        assertThat(find("*/test_?.py", "")).containsExactly("a/test_a.py", "b/test_b.py");
    }

    @Test
    void characterClassesAndBraces() throws Exception {
        assertThat(find("[ab]/test_*.py", "")).containsExactly("a/test_a.py", "b/test_b.py");
        assertThat(find("[^a]/test_*.py", "")).containsExactly("b/test_b.py");
        assertThat(find("{a,tests/unit}/test_*.py", "")).containsExactly("a/test_a.py", "tests/unit/test_unit.py");
    }

    @Test
    void noMatchesIsAnEmptyListAndAMissingRootToo() throws Exception {
        assertThat(find("**/*.rb", "")).isEmpty();
        assertThat(find("missing/**/*.py", "")).isEmpty();
    }

    @Test
    void badPatternsAreReportedWithThePattern() {
        assertThatThrownBy(() -> find("{a,b/*.py", "")).isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("{a,b/*.py").hasMessageContaining("unclosed '{'");
        assertThatThrownBy(() -> find("[ab/*.py", "")).hasMessageContaining("unclosed '['");
    }

    @Test
    void symlinkLoopsAreSkippedWithAWarningAndLinkedDirsFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("a/loop"), root.resolve("a"));
        Files.createSymbolicLink(root.resolve("linked"), root.resolve("b"));
        List<String> found = find(DEFAULT, "");
        assertThat(found).contains("linked/test_b.py", "b/test_b.py");
        assertThat(found).noneMatch(p -> p.contains("loop/loop"));
        assertThat(warnings).anyMatch(w -> w.contains("a/loop") && w.contains("loop"));
    }
}
