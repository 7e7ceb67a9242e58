package io.bktec.run;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.ResultsRead;
import io.bktec.outcome.RunReport;
import io.bktec.process.ProcessRegistry;
import io.bktec.process.Signals;
import io.bktec.results.ResultReader;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import io.bktec.runner.Pytest;
import io.bktec.stream.PlannedCollection;
import io.bktec.stream.PytestPlugin;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.TestStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class RunPipelineTest {
    @TempDir
    Path tmp;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ProcessRegistry registry = new ProcessRegistry(Duration.ofSeconds(1), VirtualTimeScheduler.create(),
            (pgid, signal) -> true);

    private static final Map<String, List<String>> SUITE = Map.of(
            "test_a.py", List.of("test_ok", "test_flaky"),
            "test_b.py", List.of("test_broken", "test_skip"),
            "test_c.py", List.of("test_fine"));

    private static TestStatus behaviour(String nodeId, int run) {
        if (nodeId.endsWith("test_flaky")) {
            return run == 0 ? TestStatus.FAILED : TestStatus.PASSED;
        }
        if (nodeId.endsWith("test_broken")) {
            return TestStatus.FAILED;
        }
        return nodeId.endsWith("test_skip") ? TestStatus.SKIPPED : TestStatus.PASSED;
    }

    private RunReport run(FakeSuite suite, RunOptions options, List<String> files, Set<String> muted) throws Exception {
        return run(suite, options, files, muted, ResultsStream.off());
    }

    /** A results stream as a run sets it up, its plugin directory a placeholder: the fake writes the stream itself. */
    private ResultsStream streaming() {
        return ResultsStream.using(tmp.resolve("plugin"), Map.of(), TestStream.ScopeStyle.JUNIT, tmp,
                Duration.ofMillis(5), Schedulers.boundedElastic());
    }

    private RunReport run(FakeSuite suite, RunOptions options, List<String> files, Set<String> muted,
                          ResultsStream streams) throws Exception {
        suite.rootdir = tmp;
        Pytest pytest = Pytest.configure(Optional.empty(), Optional.empty(), () -> false, n -> { });
        RunListener listener = new RunListener() {
            @Override
            public void attemptStarting(int attempt, int retryCount, int testCount, int notRun, int batchCount) {
                events.add("attempt " + attempt + ": " + testCount + " tests (" + notRun + " not run) in " + batchCount);
            }

            @Override
            public void notice(String text) {
                events.add("notice: " + text);
            }

            @Override
            public void batchStarting(Batch batch, List<String> argv) {
                events.add("start " + batch.label());
            }

            @Override
            public void batchFinished(BatchOutcome outcome) {
                events.add("done " + outcome.batch().label() + " " + outcome.exit().describe());
            }

            @Override
            public void attemptFinished(AttemptOutcome outcome, boolean failed) {
                events.add("attempt " + outcome.attempt() + (failed ? " failed" : " passed"));
            }
        };
        RunPipeline pipeline = new RunPipeline(new RunContext(pytest, options, suite, registry,
                new ResultFiles(Optional.empty(), tmp, "xml"), listener, batch -> Quiet.OUTPUT, tmp, streams));
        List<RunReport> reports = new ArrayList<>();
        StepVerifier.create(pipeline.run(files, muted)).consumeNextWith(reports::add).expectComplete()
                .verify(Duration.ofSeconds(30));
        return reports.get(0);
    }

    private static RunOptions options(int retries, int batchSize, int concurrency) {
        return new RunOptions(retries, false, batchSize, concurrency, Batches.DEFAULT_MAX_ARGUMENT_BYTES);
    }

    @Test
    void flakyTestPassesOnRetryAndOnlyFailedNodeIdsAreRetried() throws Exception {
        FakeSuite suite = new FakeSuite(Map.of("test_a.py", SUITE.get("test_a.py")), RunPipelineTest::behaviour);
        RunReport report = run(suite, options(2, 0, 1), List.of("test_a.py"), Set.of());
        assertThat(report.decision().code()).isZero();
        assertThat(report.attempts()).hasSize(2);
        assertThat(suite.invocations.get(1)).containsExactly("pytest", "test_a.py::test_flaky",
                "--junit-xml=" + tmp.resolve("attempt-1/batch-1.xml"));
        assertThat(report.summary().flakyTests()).extracting(TestResult::nodeId).containsExactly("test_a.py::test_flaky");
        assertThat(report.summary().passedOnRetry()).isEqualTo(1);
    }

    @Test
    void persistentFailureUsesTheWholeBudgetAndStaysRed() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        RunReport report = run(suite, options(2, 0, 1), List.of("test_a.py", "test_b.py", "test_c.py"), Set.of());
        assertThat(report.attempts()).hasSize(3);
        assertThat(suite.invocations.get(2)).containsExactly("pytest", "test_b.py::test_broken",
                "--junit-xml=" + tmp.resolve("attempt-2/batch-1.xml"));
        assertThat(report.decision().code()).isEqualTo(1);
        assertThat(report.summary().failedTests()).extracting(TestResult::nodeId).containsExactly("test_b.py::test_broken");
        assertThat(events).contains("attempt 0 failed", "attempt 2 failed");
    }

    @Test
    void anAttemptWithMoreUnmutedFailuresThanTheLimitIsNotRetriedAndTheSummarySaysWhy() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        List<String> files = List.of("test_a.py", "test_b.py", "test_c.py");
        RunOptions atMostOne = new RunOptions(2, false, 0, 1, Batches.DEFAULT_MAX_ARGUMENT_BYTES, test -> 1.0, false,
                false, false, false, io.bktec.config.RetryLimit.parse("1"));
        RunReport refused = run(suite, atMostOne, files, Set.of());
        assertThat(refused.attempts()).hasSize(1);
        assertThat(events).contains("notice: 2 tests failed, more than the limit of 1: not retrying");
        assertThat(refused.decision().code()).isEqualTo(1);
        assertThat(refused.decision().reason()).endsWith("(not retried: 2 tests failed, more than the limit of 1)");

        events.clear();
        // Muted failures do not count: one unmuted failure is within the limit, and the retries happen.
        RunReport retried = run(new FakeSuite(SUITE, RunPipelineTest::behaviour), atMostOne, files,
                Set.of("test_b/test_broken"));
        assertThat(retried.attempts()).hasSizeGreaterThan(1);
        assertThat(events).noneMatch(e -> e.contains("not retrying"));
    }

    @Test
    void aReaderWhoseWarmUpFailsGivesNoErrorSoTheBatchGoesOn() {
        ResultReader brokenWarmUp = new ResultReader() {
            @Override
            public void read(Path file, java.util.function.Consumer<TestResult> sink) {
                throw new AssertionError("not read here");
            }

            @Override
            public void prepare() {
                throw new IllegalStateException("warm-up broke");
            }
        };
        StepVerifier.create(BatchProcess.preparation(brokenWarmUp)).expectNext(false).expectComplete()
                .verify(Duration.ofSeconds(10));
        StepVerifier.create(BatchProcess.preparation(new io.bktec.results.JUnitXmlReader(tmp))).expectNext(true)
                .expectComplete().verify(Duration.ofSeconds(10));
    }

    @Test
    void noRetriesWithoutABudget() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        RunReport report = run(suite, options(0, 0, 1), List.of("test_a.py", "test_b.py"), Set.of());
        assertThat(report.attempts()).hasSize(1);
        assertThat(report.decision().code()).isEqualTo(1);
    }

    @Test
    void batchesRunConcurrentlyWithTheirOwnResultFilesAndAreMergedInOrder() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        RunReport report = run(suite, options(1, 1, 2), List.of("test_a.py", "test_b.py", "test_c.py"), Set.of());
        assertThat(report.attempts().get(0).batches()).extracting(b -> b.batch().resultFile()).containsExactly(
                tmp.resolve("attempt-0/batch-1.xml"), tmp.resolve("attempt-0/batch-2.xml"), tmp.resolve("attempt-0/batch-3.xml"));
        assertThat(report.summary().total()).isEqualTo(5);
        // the failures of attempt 0 are retried in first-appearance order, batched like the first attempt
        assertThat(report.attempts().get(1).batches()).extracting(b -> b.batch().tests()).containsExactly(
                List.of("test_a.py::test_flaky"), List.of("test_b.py::test_broken"));
        assertThat(report.decision().code()).isEqualTo(1);
    }

    @Test
    void terminalExitStopsRetriesAndKeepsItsCode() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        suite.exitOverride = argv -> 2;
        RunReport report = run(suite, options(3, 0, 1), List.of("test_b.py"), Set.of());
        assertThat(report.attempts()).hasSize(1);
        assertThat(report.decision().code()).isEqualTo(2);
    }

    @Test
    void missingResultsAfterExit1AreTerminalNotGreen() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        suite.writeResults = false;
        RunReport report = run(suite, options(3, 0, 1), List.of("test_b.py"), Set.of());
        assertThat(report.attempts()).hasSize(1);
        assertThat(report.decision().code()).isEqualTo(1);
        assertThat(report.decision().reason()).contains("could not be read");
    }

    @Test
    void staleResultFromAnEarlierRunIsNeverRead() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        java.nio.file.Files.createDirectories(tmp.resolve("attempt-0"));
        java.nio.file.Files.writeString(tmp.resolve("attempt-0/batch-1.xml"),
                "<testsuites><testsuite><testcase classname=\"test_c\" name=\"test_fine\"/></testsuite></testsuites>");
        suite.writeResults = false;
        suite.exitOverride = argv -> 1;
        RunReport report = run(suite, options(0, 0, 1), List.of("test_c.py"), Set.of());
        assertThat(report.decision().code()).isEqualTo(1);
        assertThat(report.summary().total()).isZero();
    }

    @Test
    void onlyMutedFailuresAreGreenAndNotRetriedByDefault() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        RunReport report = run(suite, options(2, 0, 1), List.of("test_b.py"), Set.of("test_b/test_broken"));
        assertThat(report.attempts()).hasSize(1);
        assertThat(report.decision().code()).isZero();
        assertThat(report.summary().mutedFailed()).isEqualTo(1);
    }

    @Test
    void cancelledRunIsNeverRetriedAndExits128PlusSignal() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        registry.cancel(Signals.SIGTERM);
        RunReport report = run(suite, options(2, 0, 1), List.of("test_a.py"), Set.of());
        assertThat(report.decision().code()).isEqualTo(143);
        assertThat(report.attempts()).hasSize(1);
    }

    @Test
    void withTheStreamATeardownErrorFailsItsTestThoughTheFileSaysPassed() throws Exception {
        FakeSuite suite = new FakeSuite(Map.of("test_a.py", SUITE.get("test_a.py")), RunPipelineTest::behaviour);
        suite.teardownErrors = Set.of("test_a.py::test_ok");
        RunOptions comparing = new RunOptions(1, false, 0, 1, Batches.DEFAULT_MAX_ARGUMENT_BYTES, test -> 1.0, false,
                false, true, true);
        RunReport report = run(suite, comparing, List.of("test_a.py"), Set.of(), streaming());
        assertThat(report.decision().code()).isEqualTo(1);
        assertThat(report.summary().failedTests()).extracting(TestResult::nodeId, TestResult::failureReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("test_a.py::test_ok",
                        "error at teardown: RuntimeError: cleanup"));
        assertThat(report.summary().flakyTests()).extracting(TestResult::nodeId).containsExactly("test_a.py::test_flaky");
        // both failures of the first attempt were retried; the stream was asked for in every process
        assertThat(suite.invocations.get(1)).contains("test_a.py::test_ok", "test_a.py::test_flaky");
        assertThat(suite.environments).allSatisfy(env -> assertThat(env).containsKey(PytestPlugin.STREAM_VARIABLE));
        BatchOutcome first = report.attempts().get(0).batches().get(0);
        assertThat(first.results()).isInstanceOf(ResultsRead.Streamed.class);
        assertThat(((ResultsRead.Streamed) first.results()).disagreements())
                .containsExactly("test_a.py::test_ok: failed in the results stream (error at teardown: "
                        + "RuntimeError: cleanup), passed in the result file");
    }

    @Test
    void theFakeModelsTheCollectorsQuirkSoWithoutTheStreamTheTeardownErrorGoesUnseen() throws Exception {
        FakeSuite suite = new FakeSuite(Map.of("test_a.py", SUITE.get("test_a.py")), RunPipelineTest::behaviour);
        suite.teardownErrors = Set.of("test_a.py::test_ok");
        RunReport report = run(suite, options(1, 0, 1), List.of("test_a.py"), Set.of());
        assertThat(report.summary().failed()).isZero();
        assertThat(suite.environments).allSatisfy(env -> assertThat(env).isEmpty());
    }

    @Test
    void aCrashNamesItsTestKeepsEarlierResultsAndTheRetryRunsTheRestThenTheCrashedTestAlone() throws Exception {
        FakeSuite suite = new FakeSuite(Map.of("test_c.py", List.of("test_1", "test_2", "test_3", "test_4")),
                (id, run) -> TestStatus.PASSED);
        suite.crashSignal = (id, run) -> id.equals("test_c.py::test_2") ? 11 : null;
        RunReport report = run(suite, options(1, 0, 1), List.of("test_c.py"), Set.of(), streaming());
        assertThat(report.decision().code()).isEqualTo(139);
        assertThat(report.decision().reason()).isEqualTo("test_c.py::test_2 crashed the test process (SIGSEGV)");
        // attempt 0 kept test_1; test_3 and test_4 never ran, so the retry ran them, and test_2 in a process of its own
        assertThat(events).contains("attempt 1: 3 tests (2 not run) in 2");
        assertThat(suite.invocations.subList(1, 3)).containsExactly(
                List.of("pytest", "test_c.py::test_3", "test_c.py::test_4", "--junit-xml=" + tmp.resolve("attempt-1/batch-1.xml")),
                List.of("pytest", "test_c.py::test_2", "--junit-xml=" + tmp.resolve("attempt-1/batch-2.xml")));
        assertThat(report.summary().passedFirstRun()).isEqualTo(1);
        assertThat(report.summary().ranOnRetryTests()).extracting(TestResult::nodeId)
                .containsExactly("test_c.py::test_3", "test_c.py::test_4");
        assertThat(report.summary().failedTests()).extracting(TestResult::nodeId, TestResult::failureReason, TestResult::crashed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("test_c.py::test_2",
                        "crashed the test process (SIGSEGV)", true));
        assertThat(report.summary().notRun()).isZero();
    }

    @Test
    void withoutRetriesTheTestsACrashKeptFromRunningAreListedAsNotRun() throws Exception {
        FakeSuite suite = new FakeSuite(Map.of("test_c.py", List.of("test_1", "test_2", "test_3")),
                (id, run) -> TestStatus.PASSED);
        suite.crashSignal = (id, run) -> id.equals("test_c.py::test_2") ? 9 : null;
        RunReport report = run(suite, options(0, 0, 1), List.of("test_c.py"), Set.of(), streaming());
        assertThat(report.decision().code()).isEqualTo(137);
        assertThat(report.summary().notRunTests()).extracting(TestResult::nodeId).containsExactly("test_c.py::test_3");
        assertThat(report.summary().passedFirstRun()).isEqualTo(1);
        assertThat(report.summary().total()).isEqualTo(3);
    }

    @Test
    void aCrashThatARetryGetsPastStillKeepsTheRunRed() throws Exception {
        FakeSuite suite = new FakeSuite(Map.of("test_c.py", List.of("test_1", "test_2")), (id, run) -> TestStatus.PASSED);
        suite.crashSignal = (id, run) -> id.equals("test_c.py::test_1") && run == 0 ? 11 : null;
        RunReport report = run(suite, options(1, 0, 1), List.of("test_c.py"), Set.of(), streaming());
        assertThat(report.summary().failed()).isZero();
        assertThat(report.decision().code()).isEqualTo(1);
        assertThat(report.decision().reason()).startsWith("test_c.py::test_1 crashed the test process (SIGSEGV)")
                .contains("attempt 1").contains("a crash keeps the run red");
    }

    @Test
    void whenPytestCannotImportThePluginTheBatchRunsAgainWithoutItAndTheRunGoesOn() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        suite.pluginImportFails = true;
        ResultsStream streams = streaming();
        RunReport report = run(suite, options(1, 0, 2), List.of("test_a.py", "test_c.py"), Set.of(), streams);
        assertThat(report.decision().code()).isZero();
        assertThat(suite.environments.get(suite.environments.size() - 1)).doesNotContainKey(PytestPlugin.STREAM_VARIABLE);
        assertThat(events.stream().filter(e -> e.startsWith("notice: pytest could not import bktec's plugin"))).hasSize(1);
        // every batch that started with the plugin (one or both, as they race) ran again without it; the retry too
        int withPlugin = (int) suite.environments.stream().filter(env -> env.containsKey(PytestPlugin.STREAM_VARIABLE)).count();
        assertThat(withPlugin).isBetween(1, 2);
        assertThat(events.stream().filter(e -> e.matches("notice: running batch [12]/2 again without bktec's plugin")))
                .hasSize(withPlugin);
        assertThat(suite.invocations).hasSize(3 + withPlugin);
        // the last process has no plugin; at concurrency 2 it still has its identity (the retry's only batch)
        assertThat(suite.environments.get(suite.environments.size() - 1)).doesNotContainKey(PytestPlugin.STREAM_VARIABLE)
                .containsEntry("PYTEST_XDIST_WORKER", "gw0").containsEntry("PYTEST_XDIST_WORKER_COUNT", "1");
    }

    @Test
    void aProcessThatNeverLoadsThePluginIsReadFromItsResultFileAndSaysWhy() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        suite.dropsEnvironment = true;
        RunReport report = run(suite, options(1, 0, 1), List.of("test_a.py"), Set.of(), streaming());
        assertThat(report.decision().code()).isZero();
        BatchOutcome first = report.attempts().get(0).batches().get(0);
        assertThat(first.results()).isInstanceOf(ResultsRead.Read.class);
        assertThat(first.streamMissing()).hasValueSatisfying(why -> assertThat(why).contains("did not load bktec's plugin"));
    }

    private static Map<String, List<String>> manyFiles(int count) {
        Map<String, List<String>> files = new java.util.TreeMap<>();
        for (int i = 0; i < count; i++) {
            files.put(String.format("tests/test_%02d.py", i), List.of("test_x"));
        }
        return files;
    }

    @Test
    void manyTestsGoToPytestAsTheirDirectoryAndAListTheRetryToo() throws Exception {
        Map<String, List<String>> files = manyFiles(PlannedCollection.MIN_TESTS + 8);
        FakeSuite suite = new FakeSuite(files, (id, run) -> run == 0 ? TestStatus.FAILED : TestStatus.PASSED);
        RunReport report = run(suite, options(1, 0, 1), List.copyOf(files.keySet()), Set.of(), streaming());
        assertThat(report.decision().code()).isZero();
        assertThat(report.summary().flakyTests()).hasSize(files.size());
        Path list = tmp.resolve("attempt-0/batch-1.planned.txt");
        assertThat(suite.invocations.get(0)).containsExactly("pytest", "tests", "--bktec-planned=" + list,
                "--junit-xml=" + tmp.resolve("attempt-0/batch-1.xml"));
        assertThat(Files.readAllLines(list)).containsExactlyElementsOf(files.keySet());
        // every test failed once: the retry's node ids go the same way
        assertThat(suite.invocations.get(1)).hasSize(4).contains("tests");
        assertThat(Files.readAllLines(tmp.resolve("attempt-1/batch-1.planned.txt"))).first().isEqualTo("tests/test_00.py::test_x");
    }

    @Test
    void whenPytestDoesNotKnowThePlannedOptionTheBatchRunsAgainWithItsFilesAndSoDoesEveryLaterOne() throws Exception {
        Map<String, List<String>> files = manyFiles(PlannedCollection.MIN_TESTS);
        FakeSuite suite = new FakeSuite(files, (id, run) -> run == 0 ? TestStatus.FAILED : TestStatus.PASSED);
        suite.dropsEnvironment = true;
        RunReport report = run(suite, options(1, 0, 1), List.copyOf(files.keySet()), Set.of(), streaming());
        assertThat(report.decision().code()).isZero();
        assertThat(suite.invocations).hasSize(3);
        assertThat(suite.invocations.get(0)).contains("tests").noneMatch(a -> a.startsWith("tests/"));
        assertThat(suite.invocations.get(1)).contains("tests/test_00.py", "tests/test_31.py");
        assertThat(suite.invocations.get(2)).contains("tests/test_00.py::test_x").doesNotContain("tests");
        assertThat(events.stream().filter(e -> e.startsWith("notice: pytest did not know bktec's --bktec-planned")))
                .hasSize(1);
        assertThat(report.summary().total()).isEqualTo(files.size());
    }

    /** The tests a command names: its file arguments, or the planned list it names. */
    private static List<String> testsGiven(List<String> argv) {
        for (String argument : argv) {
            if (argument.startsWith(PlannedCollection.OPTION + "=")) {
                try {
                    return Files.readAllLines(Path.of(argument.substring(PlannedCollection.OPTION.length() + 1)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return argv.subList(1, argv.size());
    }

    private static RunOptions workerOptions(int retries, int concurrency) {
        return new RunOptions(retries, false, 0, concurrency, Batches.DEFAULT_MAX_ARGUMENT_BYTES, test -> 1.0, false, true);
    }

    private static final Map<String, List<String>> FOUR_FILES = Map.of(
            "test_a.py", List.of("test_1", "test_2"), "test_b.py", List.of("test_1", "test_2", "test_3"),
            "test_c.py", List.of("test_1"), "test_d.py", List.of("test_1", "test_2"));

    @Test
    void workersCollectEverythingOnceAndRunEachTestOnceFedFileByFile() throws Exception {
        FakeSuite suite = new FakeSuite(FOUR_FILES, (id, run) -> TestStatus.PASSED);
        List<String> files = List.of("test_a.py", "test_b.py", "test_c.py", "test_d.py");
        RunReport report = run(suite, workerOptions(0, 2), files, Set.of(), streaming());
        assertThat(report.decision().code()).isZero();
        assertThat(report.summary().passedFirstRun()).isEqualTo(8);
        // two worker processes, each given every file, each told to run as a worker, both forked from one server
        assertThat(suite.invocations).hasSize(2).allSatisfy(argv -> assertThat(testsGiven(argv)).containsAll(files));
        assertThat(suite.environments).allSatisfy(env -> assertThat(env).containsEntry("BKTEC_WORKER", "1"));
        assertThat(suite.forkedWorkers).hasValue(2);
        assertThat(suite.forkServers).hasSize(1).allSatisfy(argv -> assertThat(testsGiven(argv)).containsAll(files));
        assertThat(report.attempts().get(0).batches()).extracting(b -> b.batch().label()).containsExactly("w1", "w2");
        assertThat(events).contains("attempt 0: 4 tests (0 not run) in 2");
    }

    @Test
    void aWorkerThatCrashesMidFileIsReplacedItsNeighboursRunAndTheCrashIsNamed() throws Exception {
        FakeSuite suite = new FakeSuite(FOUR_FILES, (id, run) -> TestStatus.PASSED);
        suite.crashSignal = (id, run) -> id.equals("test_b.py::test_2") ? 11 : null;
        RunReport report = run(suite, workerOptions(0, 2), List.of("test_a.py", "test_b.py", "test_c.py", "test_d.py"),
                Set.of(), streaming());
        assertThat(report.decision().code()).isEqualTo(139);
        assertThat(report.decision().reason()).contains("test_b.py::test_2 crashed the test process (SIGSEGV)");
        // every other test ran, test_b.py::test_3 on whichever worker took it back
        assertThat(report.summary().passedFirstRun()).isEqualTo(7);
        assertThat(report.summary().notRun()).isZero();
        assertThat(report.summary().failedTests()).extracting(TestResult::nodeId).containsExactly("test_b.py::test_2");
    }

    @Test
    void everyWorkerHasPytestXdistsIdentityAndAReplacementTakesItsPredecessorsSlot() throws Exception {
        FakeSuite suite = new FakeSuite(FOUR_FILES, (id, run) -> TestStatus.PASSED);
        suite.crashSignal = (id, run) -> id.equals("test_b.py::test_2") ? 11 : null;
        run(suite, workerOptions(0, 2), List.of("test_a.py", "test_b.py", "test_c.py", "test_d.py"), Set.of(),
                streaming());
        assertThat(suite.invocations).hasSize(3); // two workers, and one in place of the one that crashed
        List<String> ids = suite.environments.stream().map(env -> env.get("PYTEST_XDIST_WORKER")).toList();
        assertThat(ids.subList(0, 2)).containsExactlyInAnyOrder("gw0", "gw1");
        assertThat(ids).allSatisfy(id -> assertThat(id).isIn("gw0", "gw1"));
        assertThat(suite.environments).allSatisfy(env -> assertThat(env).containsEntry("PYTEST_XDIST_WORKER_COUNT", "2"));
        assertThat(suite.environments.stream().map(env -> env.get("PYTEST_XDIST_TESTRUNUID")).distinct().toList())
                .singleElement().satisfies(uid -> assertThat(uid).matches("[0-9a-f]{32}"));
        // the replacement's slot is the crashed worker's: the worker that ran test_b.py
        int crashed = crashedWorker(suite, "test_b.py");
        assertThat(ids.get(2)).isEqualTo(ids.get(crashed));
    }

    /** The index of the worker (of the first two) that started the file's test_2: the one that crashed on it. */
    private int crashedWorker(FakeSuite suite, String file) throws java.io.IOException {
        for (int i = 0; i < 2; i++) {
            Path stream = Path.of(suite.environments.get(i).get(PytestPlugin.STREAM_VARIABLE));
            boolean started = Files.readAllLines(stream).stream().map(io.bktec.stream.StreamEventParser::parse)
                    .anyMatch(event -> event.equals(Optional.of(new io.bktec.stream.StreamEvent.TestStart(file + "::test_2"))));
            if (started) {
                return i;
            }
        }
        throw new AssertionError("no worker started " + file);
    }

    @Test
    void batchesAtOnceHoldDistinctSlotsAndConcurrencyOneHasNoIdentity() throws Exception {
        FakeSuite suite = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        run(suite, options(0, 1, 2), List.of("test_a.py", "test_b.py", "test_c.py"), Set.of());
        assertThat(suite.environments).hasSize(3).allSatisfy(env -> assertThat(env)
                .containsEntry("PYTEST_XDIST_WORKER_COUNT", "2")
                .hasEntrySatisfying("PYTEST_XDIST_WORKER", id -> assertThat(id).isIn("gw0", "gw1")));
        FakeSuite alone = new FakeSuite(SUITE, RunPipelineTest::behaviour);
        run(alone, options(0, 1, 1), List.of("test_a.py", "test_b.py"), Set.of());
        assertThat(alone.environments).hasSize(2).allSatisfy(env -> assertThat(env).doesNotContainKeys(
                "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"));
    }

    @Test
    void aCrashThatKeepsKillingEveryWorkerEndsWithTheRestListedAsNotRun() throws Exception {
        FakeSuite suite = new FakeSuite(FOUR_FILES, (id, run) -> TestStatus.PASSED);
        suite.crashSignal = (id, run) -> id.endsWith("::test_1") ? 9 : null;
        RunReport report = run(suite, workerOptions(0, 2), List.of("test_a.py", "test_b.py", "test_c.py", "test_d.py"),
                Set.of(), streaming());
        assertThat(report.decision().code()).isEqualTo(137);
        // two workers and two replacements died on a test_1 each; what nobody got to is listed as not run
        assertThat(suite.invocations).hasSize(4);
        assertThat(report.summary().failed()).isEqualTo(4);
        assertThat(report.summary().notRun()).isPositive();
        assertThat(report.summary().passedFirstRun() + report.summary().notRun()).isEqualTo(4);
        assertThat(report.summary().total()).isEqualTo(8);
    }

    @Test
    void retriesGoToWorkersByNodeIdGroupedByFile() throws Exception {
        FakeSuite suite = new FakeSuite(FOUR_FILES, (id, run) -> id.endsWith("test_2") && run == 0
                ? TestStatus.FAILED : TestStatus.PASSED);
        RunReport report = run(suite, workerOptions(1, 2), List.of("test_a.py", "test_b.py", "test_c.py", "test_d.py"),
                Set.of(), streaming());
        assertThat(report.decision().code()).isZero();
        assertThat(report.summary().passedOnRetry()).isEqualTo(3);
        assertThat(report.summary().passedFirstRun()).isEqualTo(5); // the retry ran only the failed node ids
        // a retry worker is given the failed tests' files (it collects a module only when a command names it, and a
        // node id on its command line would need the module imported at start-up); its commands name the node ids
        List<List<String>> retries = suite.invocations.subList(2, suite.invocations.size());
        assertThat(retries).isNotEmpty().allSatisfy(argv -> assertThat(testsGiven(argv)).contains("test_a.py",
                "test_b.py", "test_d.py").doesNotContain("test_c.py").noneMatch(a -> a.contains("::")));
        assertThat(report.attempts().get(1).batches()).extracting(b -> b.batch().label()).startsWith("retry 1 w1");
    }

    @Test
    void withoutThePluginTheFirstWorkerRunsEverythingAndLaterAttemptsUseBatches() throws Exception {
        FakeSuite suite = new FakeSuite(FOUR_FILES, (id, run) -> id.equals("test_c.py::test_1") && run == 0
                ? TestStatus.FAILED : TestStatus.PASSED);
        suite.dropsEnvironment = true;
        RunReport report = run(suite, workerOptions(1, 2), List.of("test_a.py", "test_b.py", "test_c.py", "test_d.py"),
                Set.of(), streaming());
        assertThat(report.decision().code()).isZero();
        // the fork server, which stopped at the planned-collection option (no plugin, so pytest did not know it), one
        // "worker" that ran all eight tests, then one retry batch
        assertThat(suite.invocations).hasSize(3);
        assertThat(suite.invocations.get(0)).anyMatch(a -> a.contains("fork-server.planned.txt"));
        assertThat(report.summary().total()).isEqualTo(8);
        assertThat(events).anyMatch(e -> e.startsWith("notice: pytest did not load bktec's plugin, so there are no workers"));
        assertThat(report.attempts().get(1).batches()).extracting(b -> b.batch().worker()).containsExactly(false);
    }

    @Test
    void batchesThatStoppedForWantOfThePluginRunAgainAfterTheAttemptsBatchesNeverMoreAtOnceThanTheConcurrency()
            throws Exception {
        FakeSuite suite = new FakeSuite(FOUR_FILES, (id, run) -> TestStatus.PASSED);
        suite.pluginImportFails = true;
        RunReport report = run(suite, options(0, 1, 2), List.of("test_a.py", "test_b.py", "test_c.py", "test_d.py"),
                Set.of(), streaming());
        assertThat(report.decision().code()).as(events.toString()).isZero();
        assertThat(report.summary().passedFirstRun()).isEqualTo(8);
        // the batches that started before the first stop had the plugin (two at once, or more if they raced) and ran
        // again without it after the others; the batches after it ran without it at once
        long withPlugin = suite.environments.stream().filter(env -> env.containsKey(PytestPlugin.STREAM_VARIABLE))
                .count();
        assertThat(withPlugin).isBetween(2L, 4L);
        assertThat(suite.environments).hasSize(4 + (int) withPlugin);
        assertThat(events.stream().filter(e -> e.startsWith("notice: running batch"))).hasSize((int) withPlugin);
        assertThat(events.stream().filter(e -> e.startsWith("notice: pytest could not import"))).hasSize(1);
        assertThat(events.stream().filter(e -> e.startsWith("done "))).hasSize(4);
    }

    @Test
    void whenPytestCannotImportThePluginTheWorkersAttemptRunsAgainAsBatches() throws Exception {
        FakeSuite suite = new FakeSuite(FOUR_FILES, (id, run) -> TestStatus.PASSED);
        suite.pluginImportFails = true;
        ResultsStream streams = streaming();
        RunReport report = run(suite, workerOptions(0, 2), List.of("test_a.py", "test_b.py", "test_c.py", "test_d.py"),
                Set.of(), streams);
        assertThat(report.decision().code()).isZero();
        assertThat(suite.environments.get(suite.environments.size() - 1)).doesNotContainKey(PytestPlugin.STREAM_VARIABLE);
        assertThat(report.summary().passedFirstRun()).isEqualTo(8);
        assertThat(report.attempts().get(0).batches()).extracting(b -> b.batch().worker()).containsOnly(false);
    }
}
