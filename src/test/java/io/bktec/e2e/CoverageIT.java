package io.bktec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage that survives bktec's processes, against the real pytest-cov and coverage under each supported pytest: the
 * coverage suite (testdata/coverage) with its flaky test retried gives the coverage of one serial pytest run in which
 * the flaky test passes, in the data file and in every report, whatever the processes were.
 */
class CoverageIT {
    @TempDir
    Path tmp;

    /** Per Python: covered lines per file of the serial run where the flaky test passes. */
    private static final Map<String, Map<String, List<Integer>>> SERIAL = new ConcurrentHashMap<>();
    private static final String REPORTS = "--cov=pkg --cov-report=term-missing --cov-report=xml:cov.xml "
            + "--cov-report=json:cov.json";

    /**
     * Each way bktec can run the suite (concurrency, batch size, fork server) under the newest pytest, and under the
     * others forked workers (CI's time is bounded).
     */
    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        String newest = TestPythons.newest();
        for (String python : TestPythons.all()) {
            runs.add(Arguments.of(python, 2, 0, true));
            if (python.equals(newest)) {
                runs.add(Arguments.of(python, 1, 2, true));
                runs.add(Arguments.of(python, 1, 0, true));
                runs.add(Arguments.of(python, 2, 0, false));
                runs.add(Arguments.of(python, 4, 0, true));
                runs.add(Arguments.of(python, 4, 0, false));
            }
        }
        return runs.stream();
    }

    private Path suite(String name) throws Exception {
        return Bktec.copyOf("coverage", tmp.resolve(name));
    }

    private static String pytest(String python) {
        return python + " -m pytest -p no:cacheprovider -p pytest_cov ";
    }

    private Bktec.Result bktec(Path suite, String command, int concurrency, int batchSize, boolean forkServer)
            throws Exception {
        return Bktec.in(suite).env("BUILDKITE_TEST_ENGINE_TEST_CMD", command)
                .env("BUILDKITE_TEST_ENGINE_CONCURRENCY", Integer.toString(concurrency))
                .env("BUILDKITE_TEST_ENGINE_BATCH_SIZE", Integer.toString(batchSize))
                .env("BUILDKITE_TEST_ENGINE_FORK_SERVER", Boolean.toString(forkServer))
                .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
    }

    /** The serial run in which the flaky test passes (its run file says it ran once already). */
    private Map<String, List<Integer>> serial(String python) throws Exception {
        if (!SERIAL.containsKey(python)) {
            Path suite = suite("serial");
            Files.writeString(suite.resolve(".flaky-runs"), "run\n");
            int code = run(suite, pytest(python) + REPORTS);
            assertThat(code).isZero();
            SERIAL.put(python, covered(suite.resolve("cov.json")));
        }
        return SERIAL.get(python);
    }

    private static int run(Path directory, String command) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(directory.resolve("run.log").toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Covered lines per file of a coverage JSON report. */
    static Map<String, List<Integer>> covered(Path json) throws Exception {
        JsonNode files = new ObjectMapper().readTree(json.toFile()).get("files");
        Map<String, List<Integer>> lines = new TreeMap<>();
        files.fields().forEachRemaining(f -> lines.put(f.getKey(), numbers(f.getValue().get("executed_lines"))));
        return lines;
    }

    private static List<Integer> numbers(JsonNode array) {
        List<Integer> numbers = new ArrayList<>();
        array.forEach(n -> numbers.add(n.asInt()));
        return numbers;
    }

    /** Covered lines per file of a Cobertura XML report. */
    static Map<String, List<Integer>> coveredInXml(Path xml) throws Exception {
        NodeList classes = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                .getElementsByTagName("class");
        Map<String, List<Integer>> lines = new TreeMap<>();
        for (int i = 0; i < classes.getLength(); i++) {
            Element cls = (Element) classes.item(i);
            List<Integer> hit = new ArrayList<>();
            NodeList each = cls.getElementsByTagName("line");
            for (int j = 0; j < each.getLength(); j++) {
                Element line = (Element) each.item(j);
                if (!line.getAttribute("hits").equals("0")) {
                    hit.add(Integer.parseInt(line.getAttribute("number")));
                }
            }
            lines.put("pkg/" + cls.getAttribute("filename").replaceFirst("^pkg/", ""), hit);
        }
        return lines;
    }

    /** What the data file itself holds, as coverage reads it. */
    private static Map<String, List<Integer>> coveredInData(Path suite, String python) throws Exception {
        assertThat(run(suite, python + " -m coverage json -o data.json")).as("coverage json").isZero();
        return covered(suite.resolve("data.json"));
    }

    @ParameterizedTest(name = "{0}: concurrency {1}, batch size {2}, fork server {3}")
    @MethodSource("runs")
    void theDataAndEveryReportHoldTheWholeRunOnce(String python, int concurrency, int batchSize, boolean forkServer)
            throws Exception {
        Map<String, List<Integer>> serial = serial(python);
        Path suite = suite("bktec");
        Bktec.Result r = bktec(suite, pytest(python) + REPORTS + " {{testExamples}}", concurrency, batchSize,
                forkServer);
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Flaky tests (failed, then passed on retry)")
                .contains("Coverage XML written to file cov.xml");
        assertThat(r.stdout().split("\nTOTAL ", -1)).as("the terminal report, once").hasSize(2);
        assertThat(covered(suite.resolve("cov.json"))).isEqualTo(serial);
        assertThat(coveredInXml(suite.resolve("cov.xml"))).isEqualTo(serial);
        assertThat(coveredInData(suite, python)).isEqualTo(serial);
    }

    @Test
    void failUnderIsJudgedOnceOnTheWholeRun() throws Exception {
        String python = TestPythons.newest();
        Bktec.Result under = bktec(suite("under"), pytest(python) + "--cov=pkg --cov-fail-under=90 {{testExamples}}",
                2, 0, true);
        assertThat(under.exitCode()).as(under.all()).isEqualTo(1);
        assertThat(under.stdout()).contains("FAIL Required test coverage of 90% not reached. Total coverage: 87.18%")
                .contains("exit status 1: total coverage 87.18% is under the required 90% (--cov-fail-under)");
        Bktec.Result silent = bktec(suite("silent"), pytest(python) + "--cov=pkg --cov-report= --cov-fail-under=90 "
                + "{{testExamples}}", 2, 0, true);
        assertThat(silent.exitCode()).as(silent.all()).isEqualTo(1);
        assertThat(silent.stdout()).doesNotContain("\nTOTAL ");
        Bktec.Result reached = bktec(suite("reached"), pytest(python) + "--cov=pkg --cov-fail-under=50 {{testExamples}}",
                2, 0, true);
        assertThat(reached.exitCode()).as(reached.all()).isZero();
        assertThat(reached.stdout()).contains("Required test coverage of 50% reached. Total coverage: 87.18%");
    }

    @Test
    void coverageRunAsTheCommandLeavesTheWholeRunInItsDataFile() throws Exception {
        String python = TestPythons.newest();
        Map<String, List<Integer>> serial = serial(python);
        Path suite = suite("run");
        Bktec.Result r = bktec(suite, python + " -m coverage run --source=pkg -m pytest -p no:cacheprovider "
                + "{{testExamples}}", 2, 0, true);
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("the fork server is not serving (coverage run measures pytest");
        assertThat(coveredInData(suite, python)).isEqualTo(serial);
        // without a source to keep to, everything is measured: bktec's own plugin, from a directory gone after the run,
        // is left out, so the user's reports still find every source
        Path unfiltered = suite("unfiltered");
        Bktec.Result all = bktec(unfiltered, python + " -m coverage run -m pytest -p no:cacheprovider {{testExamples}}",
                2, 0, false);
        assertThat(all.exitCode()).as(all.all()).isZero();
        assertThat(run(unfiltered, python + " -m coverage report")).as(() -> read(unfiltered.resolve("run.log"))).isZero();
        assertThat(read(unfiltered.resolve("run.log"))).contains("pkg/settle.py").doesNotContain("bktec_pytest");
    }

    @Test
    void withParallelDataFilesTheWholeRunIsThereAndStillCombinesLater() throws Exception {
        String python = TestPythons.newest();
        Map<String, List<Integer>> serial = serial(python);
        Path suite = suite("parallel");
        Files.writeString(suite.resolve(".coveragerc"), "[run]\nparallel = true\nsource = pkg\n");
        Bktec.Result r = bktec(suite, python + " -m coverage run -m pytest -p no:cacheprovider {{testExamples}}", 2, 0,
                false);
        assertThat(r.exitCode()).as(r.all()).isZero();
        // the data file holds the whole run, and a parallel file too, for a pipeline that runs coverage combine next
        Path copy = suite.resolve("whole.coverage");
        Files.copy(suite.resolve(".coverage"), copy);
        assertThat(run(suite, python + " -m coverage combine")).as(() -> "coverage combine, as such a pipeline runs it: "
                + read(suite.resolve("run.log"))).isZero();
        assertThat(coveredInData(suite, python)).isEqualTo(serial);
        Files.move(copy, suite.resolve(".coverage"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(coveredInData(suite, python)).isEqualTo(serial);
    }
}
