package io.bktec.e2e;

import io.bktec.shell.ShellWords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** bktec run against real pytest on the bundled suites, in JUnit and JSON (collector stand-in) mode. */
class RunPytestIT {
    @TempDir
    Path tmp;

    @Test
    void sampleSuiteInJUnitModeListsFailuresAndExits1() throws Exception {
        Bktec.Result r = Bktec.in("sample").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("pytest results are read as JUnit XML")
                .contains("Failed tests:")
                .contains("tests/api.v2/test_dotted.py::TestVersioned::test_v2_status")
                .contains("tests/test_params.py::test_label_is_short[a::b]")
                .contains("exit status 1");
    }

    @Test
    void theCollectorAnswerIsRememberedBetweenRunsAndAskedAgainWhenPythonChanges() throws Exception {
        Path bin = java.nio.file.Files.createDirectories(tmp.resolve("bin"));
        Path python = bin.resolve("python");
        java.nio.file.Files.writeString(python, "#!/bin/sh\necho called >> '" + tmp.resolve("calls") + "'\nexec python3 \"$@\"\n");
        java.nio.file.Files.setPosixFilePermissions(python, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = bin + ":" + System.getenv("PATH");
        String cacheDir = tmp.resolve("cache").toString();
        for (int run = 0; run < 2; run++) {
            Bktec.Result r = Bktec.in("sample").env("PATH", path).env("BKTEC_CACHE_DIR", cacheDir).args("run").run();
            assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
            assertThat(r.stdout()).contains("pytest results are read as JUnit XML");
        }
        assertThat(java.nio.file.Files.readAllLines(tmp.resolve("calls"))).hasSize(1);

        Bktec.Result withCollector = Bktec.in("sample").withInstalledCollector().env("PATH", path)
                .env("BKTEC_CACHE_DIR", cacheDir).args("run").run();
        assertThat(withCollector.stdout()).as(withCollector.all()).contains("pytest results are read as JSON");
        assertThat(java.nio.file.Files.readAllLines(tmp.resolve("calls"))).hasSize(2);
    }

    @Test
    void sampleSuiteInJsonModeRetriesAwkwardIdsAndExits1() throws Exception {
        Bktec.Result r = Bktec.in("sample").withInstalledCollector().env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        // 21: the collector's file calls test_passes_but_teardown_fails passed; bktec's plugin sees its teardown error
        assertThat(r.stdout()).contains("pytest results are read as JSON").contains("retry 1 of 1: 21 failed tests")
                // the retry found every id again: nothing "not found", and the same 21 still fail
                .doesNotContain("file or directory not found")
                .contains("Failed                   21")
                .contains("tests/test_params.py::test_label_is_short[\\xfcn\\xefc\\xf6d\\xe9]");
    }

    @Test
    void flakyTestPassesOnRetryInJUnitMode() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "2").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Passed on retry           1")
                .contains("Flaky tests (failed, then passed on retry):")
                .contains("tests/test_flaky.py::test_flaky_once")
                .contains("exit status 0");
    }

    @Test
    void flakyTestPassesOnRetryInJsonMode() throws Exception {
        Bktec.Result r = Bktec.in("flaky").withCollector().env("FLAKY_STATE_DIR", tmp.toString())
                .args("run", "--test-engine-retry-count", "2").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("read as JSON").contains("Passed on retry           1")
                .contains("tests/test_flaky.py::test_flaky_once");
    }

    @Test
    void withoutRetriesTheFlakyFailureFailsTheBuild() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString()).args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    }

    @Test
    void fourNodesTogetherRunEveryDiscoveredFileExactlyOnce() throws Exception {
        List<String> ran = new ArrayList<>();
        for (int node = 0; node < 4; node++) {
            Bktec.Result r = Bktec.in("sample").env("BUILDKITE_PARALLEL_JOB_COUNT", "4")
                    .env("BUILDKITE_PARALLEL_JOB", Integer.toString(node)).args("run").run();
            assertThat(r.exitCode()).as(r.all()).isIn(0, 1);
            ran.addAll(filesRun(r.stdout()));
        }
        assertThat(ran).containsExactlyInAnyOrder("tests/api.v2/test_dotted.py", "tests/pkg/helpers_test.py",
                "tests/pkg/sub/test_nested.py", "tests/test_basic.py", "tests/test_classes.py",
                "tests/test_fixture_errors.py", "tests/test_module_skip.py", "tests/test_params.py",
                "tests/test_spans.py", "tests/test_subtests.py");
    }

    @Test
    void batchesAtConcurrencyTwoPrefixLinesAndWriteSiblingResultFiles() throws Exception {
        Path results = tmp.resolve("out/results.xml");
        Bktec.Result r = Bktec.in("sample").env("BUILDKITE_TEST_ENGINE_BATCH_SIZE", "4")
                .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2")
                .env("BUILDKITE_TEST_ENGINE_RESULT_PATH", results.toString()).args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("in 3 batches").contains("[batch 1/3] ").contains("[batch 3/3] ");
        assertThat(results).exists();
        assertThat(results.resolveSibling("results.batch-2.xml")).exists();
        assertThat(results.resolveSibling("results.batch-3.xml")).exists();
        assertThat(r.stdout()).contains("Failed                   21");
    }

    @Test
    void collectionErrorIsTerminalAndNotRetried() throws Exception {
        Bktec.Result r = Bktec.in("collection-error").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "3").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
        assertThat(r.stdout()).doesNotContain("retry 1").contains("Collection errors:").contains("collection error");
    }

    @Test
    void emptyNodeRunsNothingAndPassesUnlessAskedToFail() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_PARALLEL_JOB_COUNT", "3").env("BUILDKITE_PARALLEL_JOB", "2")
                .args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("no tests to run on this node");
        Bktec.Result strict = Bktec.in("flaky").env("BUILDKITE_PARALLEL_JOB_COUNT", "3").env("BUILDKITE_PARALLEL_JOB", "2")
                .env("BUILDKITE_TEST_ENGINE_FAIL_ON_NO_TESTS", "true").args("run").run();
        assertThat(strict.exitCode()).isEqualTo(16);
        assertThat(strict.stderr()).contains("no tests assigned to this node");
    }

    @Test
    void underBuildkiteAttemptsAreLogGroupsAndAFailingOneIsExpanded() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString()).env("BUILDKITE", "true")
                .env("NO_COLOR", "1").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        String out = r.stdout();
        assertThat(out).contains("--- bktec: running 2 test files with pytest").contains("--- bktec: retry 1 of 1");
        // the failing first attempt is expanded right after its output, before the retry group opens
        assertThat(out.indexOf("^^^ +++")).isPositive().isLessThan(out.indexOf("--- bktec: retry 1 of 1"));
        assertThat(out.indexOf("^^^ +++")).isEqualTo(out.lastIndexOf("^^^ +++"));
        assertThat(out).contains("+++ bktec: summary").doesNotContain("\u001b[");
    }

    @Test
    void coloursAreOnUnderBuildkiteUnlessNoColor() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString()).env("BUILDKITE", "true").args("run").run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).contains("\u001b[31;1m");
    }

    /** The test files bktec passed to pytest, read from the command lines it printed. */
    static List<String> filesRun(String stdout) throws Exception {
        List<String> files = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("$ ")) {
                for (String word : ShellWords.split(line.substring(2))) {
                    if (word.endsWith(".py")) {
                        files.add(word);
                    }
                }
            }
        }
        return files;
    }

    @Test
    void filesListReplacesDiscovery() throws Exception {
        Path list = tmp.resolve("files.txt");
        Files.writeString(list, "tests/test_steady.py\n");
        Bktec.Result r = Bktec.in("flaky").env("BUILDKITE_TEST_ENGINE_FILES", list.toString()).args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(filesRun(r.stdout())).containsExactly("tests/test_steady.py");
    }
}
