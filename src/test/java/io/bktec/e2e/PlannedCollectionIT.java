package io.bktec.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many files handed to real pytest as their directory and a list (bktec's plugin keeps the walk to the plan), the
 * fallback to the file list when pytest has no plugin, and pytest writing straight to bktec's stdout.
 */
class PlannedCollectionIT {
    @TempDir
    Path tmp;

    /**
     * 80 files of two tests in one directory and a sub-directory with a conftest of its own. Sorted by path the
     * sub-directory's file comes first, so node 0 of 2 gets it and the odd-numbered files; the even-numbered files,
     * node 1's, fail.
     */
    private Path suite() throws Exception {
        Path tests = Files.createDirectories(tmp.resolve("suite/tests"));
        Files.writeString(tmp.resolve("suite/pytest.ini"), "[pytest]\n");
        Files.writeString(tests.resolve("conftest.py"), "import pytest\n\n@pytest.fixture\ndef level():\n    return 'top'\n");
        for (int i = 0; i < 80; i++) {
            Files.writeString(tests.resolve(String.format("test_m%02d.py", i)), "def test_a(level):\n    assert level == 'top'\n\n"
                    + "def test_b():\n    assert " + (i % 2 == 0 ? "False" : "True") + "\n");
        }
        Path sub = Files.createDirectories(tests.resolve("sub"));
        Files.writeString(sub.resolve("conftest.py"), "import pytest\n\n@pytest.fixture\ndef level():\n    return 'sub'\n");
        Files.writeString(sub.resolve("test_sub.py"), "def test_sub(level):\n    assert level == 'sub'\n");
        return tmp.resolve("suite");
    }

    @Test
    void aNodeGetsItsDirectoryAndListAndRunsExactlyItsShare() throws Exception {
        // two nodes: node 0's files all pass, so one test of node 1's that ran would make it red
        Bktec.Result r = Bktec.in(suite()).env("BUILDKITE_PARALLEL_JOB", "0").env("BUILDKITE_PARALLEL_JOB_COUNT", "2")
                .args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        Matcher command = Pattern.compile("\\$ pytest tests --bktec-planned=(\\S+) --junit-xml=\\S+\n").matcher(r.stdout());
        assertThat(command.find()).as(r.stdout()).isTrue();
        assertThat(r.stdout()).contains("Passed (first run)       81").contains("Total                    81");
    }

    @Test
    void aCommandThatDropsTheEnvironmentRunsAgainWithTheFileList() throws Exception {
        Bktec.Result r = Bktec.in(suite()).env("BUILDKITE_PARALLEL_JOB", "0").env("BUILDKITE_PARALLEL_JOB_COUNT", "2")
                .env("BUILDKITE_TEST_ENGINE_TEST_CMD",
                        "env -i PATH=" + System.getenv("PATH") + " python3 -m pytest {{testExamples}} --junit-xml={{resultPath}}")
                .args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.all()).contains("pytest did not know bktec's --bktec-planned option")
                .contains("running tests again with each test as an argument")
                .contains("python3 -m pytest tests/sub/test_sub.py tests/test_m01.py tests/test_m03.py");
        assertThat(r.stdout()).contains("Total                    81");
    }

    @Test
    void atConcurrencyOnePytestWritesStraightToBktecsPipeInOrder() throws Exception {
        Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString()).env("NO_COLOR", "1")
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").runThroughPipeWith("run");
        assertThat(r.exitCode()).as(r.all()).isZero();
        String out = r.stdout();
        int first = out.indexOf("$ pytest tests/test_flaky.py tests/test_steady.py");
        int firstSession = out.indexOf("test session starts", first);
        int retry = out.indexOf("--- bktec: retry 1 of 1");
        int secondSession = out.indexOf("test session starts", retry);
        int summary = out.indexOf("bktec: summary");
        assertThat(first).as(out).isGreaterThanOrEqualTo(0);
        assertThat(firstSession).as(out).isGreaterThan(first).isLessThan(retry);
        assertThat(secondSession).as(out).isGreaterThan(retry).isLessThan(summary);
        assertThat(out).contains("Passed on retry           1");
    }
}
