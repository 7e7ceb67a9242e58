package io.bktec.discovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Discovery walks where pytest's collection walks: norecursedirs, virtualenvs, testpaths, python_files, --ignore. */
class PytestRulesDiscoveryTest {
    @TempDir
    Path root;

    private void files(String... paths) throws IOException {
        for (String path : paths) {
            Path p = root.resolve(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "");
        }
    }

    private DiscoveryResult discover(Optional<String> pattern, String exclude) throws DiscoveryException {
        PytestCollectionConfig pytest = new PytestConfigReader(w -> { throw new AssertionError(w); })
                .read(root, Map.of());
        return new FileDiscovery(root, w -> { }).find(new DiscoveryRequest(pattern, exclude, pytest));
    }

    private DiscoveryResult discover() throws DiscoveryException {
        return discover(Optional.empty(), "");
    }

    @Test
    void theVirtualenvTrapRunsOnlyTheProjectsTests() throws Exception {
        files("tests/test_ok.py", ".venv/pyvenv.cfg", ".venv/lib/python3.11/site-packages/somepkg/tests/test_vendored.py",
                "build/lib/tests/test_built.py", "env/pyvenv.cfg", "env/lib/tests/test_in_env.py",
                "conda/conda-meta/history", "conda/pkgs/test_conda.py", "dist/test_dist.py", "x.egg/test_egg.py",
                "src/pkg/__pycache__/test_cached.py");
        DiscoveryResult result = discover();
        assertThat(result.files()).containsExactly("tests/test_ok.py");
        assertThat(result.skipped()).extracting(DiscoveryResult.Skipped::path, DiscoveryResult.Skipped::reason,
                DiscoveryResult.Skipped::virtualenv).containsExactly(
                tuple(".venv", "a virtualenv (pyvenv.cfg)", true),
                tuple("build", "matches norecursedirs \"build\" (pytest's default)", false),
                tuple("conda", "a conda environment (conda-meta/history)", true),
                tuple("dist", "matches norecursedirs \"dist\" (pytest's default)", false),
                tuple("env", "a virtualenv (pyvenv.cfg)", true),
                tuple("x.egg", "matches norecursedirs \"*.egg\" (pytest's default)", false));
    }

    @Test
    void aPatternThatNamesADirectoryWalksItAsPytestWalksAnArgument() throws Exception {
        files("build/lib/tests/test_built.py", "build/lib/.cache/test_hidden.py", ".venv/pyvenv.cfg",
                ".venv/lib/tests/test_vendored.py");
        assertThat(discover(Optional.of("build/**/test_*.py"), "").files()).containsExactly("build/lib/tests/test_built.py");
        // the named directory is entered even though it is a virtualenv; what is below it follows the rules
        assertThat(discover(Optional.of(".venv/**/test_*.py"), "").files()).containsExactly(".venv/lib/tests/test_vendored.py");
        // a pattern without a literal directory walks from here, by pytest's rules
        assertThat(discover(Optional.of("**/test_*.py"), "").files()).isEmpty();
    }

    @Test
    void testpathsNarrowTheWalkAndAFileOrGlobCountsToo() throws Exception {
        files("pyproject.toml", "tests/test_a.py", "tests/unit/test_b.py", "integration/test_smoke.py",
                "integration/test_other.py", "plugins/a/tests/test_pa.py", "plugins/b/tests/test_pb.py",
                "plugins/b/other/test_o.py", "docs/test_docs.py", "integration/smoke_check.py");
        Files.writeString(root.resolve("pyproject.toml"), """
                [project]
                name = "demo"

                [tool.pytest.ini_options]
                testpaths = ["tests", "integration/smoke_check.py", "plugins/*/tests"]
                """);
        // an explicit file is collected whatever python_files says
        assertThat(discover().files()).containsExactly("tests/test_a.py", "tests/unit/test_b.py",
                "integration/smoke_check.py", "plugins/a/tests/test_pa.py", "plugins/b/tests/test_pb.py");
        // a pattern with its own directory is an explicit path: testpaths do not apply
        assertThat(discover(Optional.of("docs/**/test_*.py"), "").files()).containsExactly("docs/test_docs.py");
        // the user's pattern and exclude apply on top of testpaths
        assertThat(discover(Optional.of("**/test_p*.py"), "plugins/b").files()).containsExactly("plugins/a/tests/test_pa.py");
    }

    @Test
    void testpathsApplyOnlyFromTheRootdirAndFallBackWhenTheyMatchNothing() throws Exception {
        files("sub/tests/test_a.py", "sub/other/test_b.py");
        Files.writeString(root.resolve("pytest.ini"), "[pytest]\ntestpaths = tests\n");
        Path sub = root.resolve("sub");
        PytestCollectionConfig fromSub = new PytestConfigReader(w -> { }).read(sub, Map.of());
        assertThat(fromSub.rootdir()).isEqualTo(root);
        assertThat(fromSub.testpathsApply(sub)).isFalse();
        assertThat(new FileDiscovery(sub, w -> { }).find(new DiscoveryRequest(Optional.empty(), "", fromSub)).files())
                .containsExactly("other/test_b.py", "tests/test_a.py");
        // from the rootdir, "tests" names nothing there: pytest searches the whole directory instead
        assertThat(discover().files()).containsExactly("sub/other/test_b.py", "sub/tests/test_a.py");
    }

    @Test
    void norecursedirsAndPythonFilesFromTheConfigReplaceTheDefaults() throws Exception {
        files("tests/test_a.py", "tests/check_b.py", "tests/c_test.py", "tests/fixtures/test_data.py",
                "tests/build/test_built.py", "tests/deep/skipme/test_x.py", "tests/.hidden/test_h.py", "tests/check_c.txt");
        Files.writeString(root.resolve("tox.ini"), """
                [tox]
                envlist = py311

                [pytest]
                norecursedirs = fixtures
                    tests/deep/*
                python_files = test_*.py check_*.py
                """);
        DiscoveryResult result = discover();
        // build and .hidden are walked: the config's norecursedirs replaced pytest's default list
        assertThat(result.files()).containsExactly("tests/.hidden/test_h.py", "tests/build/test_built.py",
                "tests/check_b.py", "tests/test_a.py");
        assertThat(result.skipped()).extracting(DiscoveryResult.Skipped::path, DiscoveryResult.Skipped::reason)
                .containsExactly(tuple("tests/deep/skipme", "matches norecursedirs \"tests/deep/*\" (set in tox.ini)"),
                        tuple("tests/fixtures", "matches norecursedirs \"fixtures\" (set in tox.ini)"));
    }

    @Test
    void addoptsIgnoresAndCollectInVirtualenvAreHonoured() throws Exception {
        files("tests/test_a.py", "tests/legacy/test_old.py", "tests/test_wip.py", "tests/env/pyvenv.cfg",
                "tests/env/test_env.py");
        Files.writeString(root.resolve("setup.cfg"), """
                [metadata]
                name = demo

                [tool:pytest]
                addopts = --ignore=tests/legacy -q --ignore-glob "*_wip.py" --collect-in-virtualenv
                """);
        DiscoveryResult result = discover();
        assertThat(result.files()).containsExactly("tests/env/test_env.py", "tests/test_a.py");
        assertThat(result.skipped()).extracting(DiscoveryResult.Skipped::path, DiscoveryResult.Skipped::reason)
                .containsExactly(tuple("tests/legacy", "--ignore tests/legacy"));
    }

    @Test
    void theUsersExcludeStillPrunesAndNodeModulesIsNeverWalked() throws Exception {
        files("tests/test_a.py", "tests/slow/test_s.py", "node_modules/pkg/test_n.py", "web/node_modules/test_w.py");
        Files.writeString(root.resolve("pytest.ini"), "[pytest]\nnorecursedirs = nothing\n");
        assertThat(discover(Optional.empty(), "tests/slow").files()).containsExactly("tests/test_a.py");
    }
}
