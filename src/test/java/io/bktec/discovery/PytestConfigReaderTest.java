package io.bktec.discovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PytestConfigReaderTest {
    @TempDir
    Path root;
    private final List<String> warnings = new ArrayList<>();

    private PytestCollectionConfig read(Path from, Map<String, String> env) {
        return new PytestConfigReader(warnings::add).read(from, env);
    }

    private void write(String path, String text) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void withoutAConfigurationPytestsDefaultsApplyAndTheWorkingDirectoryIsTheRootdir() {
        PytestCollectionConfig config = read(root, Map.of());
        assertThat(config).isEqualTo(PytestCollectionConfig.defaults(root));
        assertThat(config.norecursedirs()).containsExactly("*.egg", ".*", "_darcs", "build", "CVS", "dist",
                "node_modules", "venv", "{arch}");
        assertThat(config.pythonFiles()).containsExactly("test_*.py", "*_test.py");
    }

    @Test
    void theFirstFileWithPytestSettingsWinsInPytestsOrderWithinADirectory() throws Exception {
        write("tox.ini", "[pytest]\ntestpaths = from-tox\n");
        write("setup.cfg", "[tool:pytest]\ntestpaths = from-setup-cfg\n");
        write("pyproject.toml", "[tool.black]\nline-length = 100\n");
        assertThat(read(root, Map.of()).configFile()).contains(root.resolve("tox.ini"));
        write("pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = [\"from-pyproject\"]\n");
        assertThat(read(root, Map.of()).testpaths()).containsExactly("from-pyproject");
        // pytest.ini counts even when it is empty
        write("pytest.ini", "");
        PytestCollectionConfig ini = read(root, Map.of());
        assertThat(ini.configFile()).contains(root.resolve("pytest.ini"));
        assertThat(ini.testpaths()).isEmpty();
        write("pytest.toml", "[pytest]\ntestpaths = [\"from-pytest-toml\"]\n");
        assertThat(read(root, Map.of()).testpaths()).containsExactly("from-pytest-toml");
    }

    @Test
    void filesWithoutAPytestSectionAreSkippedAndTheSearchGoesUp() throws Exception {
        write("tox.ini", "[tox]\nenvlist = py311\n");
        write("setup.cfg", "[metadata]\nname = x\n");
        write("a/b/c/.keep", "");
        write("a/setup.cfg", "[tool:pytest]\nnorecursedirs = fixtures\n");
        PytestCollectionConfig config = read(root.resolve("a/b/c"), Map.of());
        assertThat(config.configFile()).contains(root.resolve("a/setup.cfg"));
        assertThat(config.rootdir()).isEqualTo(root.resolve("a"));
        assertThat(config.norecursedirs()).containsExactly("fixtures");
        assertThat(config.testpathsApply(root.resolve("a/b/c"))).isFalse();
    }

    @Test
    void aPyprojectWithoutPytestSettingsIsStillTheRootdir() throws Exception {
        write("pyproject.toml", "[project]\nname = \"x\"\n");
        write("sub/.keep", "");
        PytestCollectionConfig config = read(root.resolve("sub"), Map.of());
        assertThat(config.rootdir()).isEqualTo(root);
        assertThat(config.norecursedirs()).isEqualTo(PytestCollectionConfig.DEFAULT_NORECURSEDIRS);
    }

    @Test
    void nativeTomlTablesStringsAndListsAreRead() throws Exception {
        write("pyproject.toml", """
                [tool.pytest]
                testpaths = ["tests", 'it']
                python_files = "check_*.py  test_*.py"
                addopts = ["--ignore", "tests/old", "--ignore-glob='*_wip.py'"]
                """);
        PytestCollectionConfig config = read(root, Map.of());
        assertThat(config.testpaths()).containsExactly("tests", "it");
        assertThat(config.pythonFiles()).containsExactly("check_*.py", "test_*.py");
        assertThat(config.ignore()).containsExactly("tests/old");
        assertThat(config.ignoreGlobs()).containsExactly("'*_wip.py'");
    }

    @Test
    void iniValuesAreSplitAsPythonsShlexDoesAndPytestAddoptsFromTheEnvironmentCounts() throws Exception {
        write("pytest.ini", """
                [pytest]
                # a comment
                norecursedirs = "dir with space" .*
                    build
                addopts = -ra --ignore "legacy code"
                """);
        PytestCollectionConfig config = read(root, Map.of("PYTEST_ADDOPTS", "--collect-in-virtualenv --rootdir=elsewhere"));
        assertThat(config.norecursedirs()).containsExactly("dir with space", ".*", "build");
        assertThat(config.ignore()).containsExactly("legacy code");
        assertThat(config.collectInVirtualenv()).isTrue();
        assertThat(config.rootdir()).isEqualTo(root.resolve("elsewhere"));
    }

    @Test
    void aFilePytestCannotReadEitherGivesAWarningAndTheDefaults() throws Exception {
        write("pytest.ini", "[pytest]\nthis line has no equals sign\n");
        PytestCollectionConfig config = read(root, Map.of());
        assertThat(config.configFile()).contains(root.resolve("pytest.ini"));
        assertThat(config.norecursedirs()).isEqualTo(PytestCollectionConfig.DEFAULT_NORECURSEDIRS);
        assertThat(warnings).singleElement().asString().contains("pytest.ini").contains("line 2");
        warnings.clear();
        write("pyproject.toml", "[tool.pytest.ini_options\ntestpaths = 1\n");
        Files.delete(root.resolve("pytest.ini"));
        assertThat(read(root, Map.of()).testpaths()).isEmpty();
        assertThat(warnings).singleElement().asString().contains("pyproject.toml");
    }

    @Test
    void onlyTheFirstFileFoundMatters() throws Exception {
        write("pytest.ini", "[pytest]\n");
        write("tox.ini", "[pytest]\ntestpaths = ignored\n");
        assertThat(read(root, Map.of()).configFile()).isEqualTo(Optional.of(root.resolve("pytest.ini")));
        assertThat(read(root, Map.of()).testpaths()).isEmpty();
    }
}
