package io.bktec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bktec discovers the test files pytest's own collection takes: compared file for file with pytest run in the same
 * directory (its modules recorded by testdata/collection-recorder, which also counts modules that hold no test or
 * are skipped whole, and which `pytest --collect-only -q` lists none of).
 */
class DiscoveryAgreementIT {
    @TempDir
    Path tmp;

    /** The files in the plan `bktec plan --plan-out -` prints. */
    private static Set<String> planned(Path directory) throws Exception {
        Bktec.Result plan = Bktec.in(directory).args("plan", "--plan-out", "-").run();
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        Set<String> files = new TreeSet<>();
        for (JsonNode task : new ObjectMapper().readTree(plan.stdout()).path("tasks")) {
            task.path("tests").forEach(test -> files.add(test.path("path").asText()));
        }
        return files;
    }

    private Set<String> pytestModules(Path directory) throws Exception {
        Path record = tmp.resolve("modules.txt");
        ProcessBuilder builder = new ProcessBuilder("python3", "-m", "pytest", "--collect-only", "-q",
                "-p", "no:cacheprovider", "-p", "record_modules").directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("pytest.out").toFile());
        builder.environment().put("PYTHONPATH", Bktec.TESTDATA.resolve("collection-recorder").toString());
        builder.environment().put("RECORD_MODULES_FILE", record.toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().put("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1");
        builder.environment().remove("PYTEST_ADDOPTS");
        Process pytest = builder.start();
        assertThat(pytest.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(record).as(Files.readString(tmp.resolve("pytest.out"))).exists();
        return new TreeSet<>(Files.readAllLines(record, StandardCharsets.UTF_8));
    }

    @Test
    void inTheVirtualenvTrapOnlyTheProjectsTestRunsAndPasses() throws Exception {
        Path trap = Bktec.TESTDATA.resolve("venv-trap");
        assertThat(planned(trap)).containsExactly("tests/test_ok.py").isEqualTo(pytestModules(trap));
        Bktec.Result run = Bktec.in(trap).args("run").run();
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.stdout()).contains("bktec: skipped a virtual environment, .venv, as pytest does")
                .contains("$ pytest tests/test_ok.py --junit-xml=").contains("Total                     1");
        // --debug names every directory left out, and why
        Bktec.Result debug = Bktec.in(trap).args("run", "--debug").run();
        assertThat(debug.stdout()).contains("skipped .venv: a virtualenv (pyvenv.cfg)")
                .contains("skipped build: matches norecursedirs \"build\" (pytest's default)");
    }

    @Test
    void aPatternNamingTheBuildDirectoryWalksIt() throws Exception {
        Bktec.Result run = Bktec.in(Bktec.TESTDATA.resolve("venv-trap"))
                .env("BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN", "build/**/test_*.py").args("run").run();
        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).contains("$ pytest build/lib/tests/test_built.py");
    }

    @Test
    void aProjectWithTestpathsAndNorecursedirsInPyprojectToml() throws Exception {
        Path project = Bktec.TESTDATA.resolve("discovery");
        Set<String> bktec = planned(project);
        assertThat(bktec).isEqualTo(pytestModules(project)).containsExactly("integration/smoke_check.py",
                "plugins/a/tests/test_plugin_a.py", "plugins/b/tests/test_plugin_b.py", "tests/build/test_built.py",
                "tests/check_extra.py", "tests/test_top.py", "tests/unit/test_unit.py");
        Bktec.Result plan = Bktec.in(project).args("plan", "--json").run();
        // `bktec plan` names what it left out and why
        assertThat(plan.stderr()).contains("skipped tests/env: a virtualenv (pyvenv.cfg)")
                .contains("skipped tests/fixtures: matches norecursedirs \"fixtures\" (set in pyproject.toml)")
                .contains("skipped tests/legacy: --ignore tests/legacy");
    }

    @Test
    void networkxWhereverItIsInstalled() throws Exception {
        Process find = new ProcessBuilder("python3", "-c", "import networkx, os; print(os.path.dirname(networkx.__file__))")
                .redirectErrorStream(true).start();
        String location = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(find.waitFor() == 0, "networkx is not installed for python3: " + location);
        Path networkx = Path.of(location);
        Set<String> bktec = planned(networkx);
        Set<String> pytest = pytestModules(networkx);
        assertThat(bktec).hasSizeGreaterThan(200).isEqualTo(pytest);
        // and `pytest --collect-only -q`'s files are all among them (it omits modules without tests to run)
        List<String> listed = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("pytest.out"))) {
            if (line.contains("::")) {
                listed.add(line.substring(0, line.indexOf("::")));
            }
        }
        assertThat(bktec).containsAll(listed);
    }
}
