package io.bktec.stream;

import io.bktec.outcome.ProcessEnding;
import io.bktec.outcome.StreamOutcome;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class TestStreamTest {
    private static final Path ROOT = Path.of("/builds/app");

    private static TestStream stream(TestStream.ScopeStyle style, StreamEvent... events) {
        TestStream stream = new TestStream(style, ROOT);
        stream.accept(new StreamEvent.SessionStart("9.0.3", "3.11.7", 1, ROOT.toString(), ROOT.toString(), List.of()));
        for (StreamEvent event : events) {
            stream.accept(event);
        }
        return stream;
    }

    private static StreamEvent[] test(String id, String setup, String call, String teardown) {
        return new StreamEvent[]{new StreamEvent.TestStart(id),
                new StreamEvent.PhaseReport(id, "setup", setup, 0.1, setup.equals("passed") ? "" : "S", null, false),
                new StreamEvent.PhaseReport(id, "call", call, 0.2, call.equals("passed") ? "" : "C", null, false),
                new StreamEvent.PhaseReport(id, "teardown", teardown, 0.3, teardown.equals("passed") ? "" : "T", null, false)};
    }

    private static StreamEvent[] concat(StreamEvent[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(StreamEvent[]::new);
    }

    /** What the ending says of a crash: its description when the process died by itself. */
    private static Optional<String> crash(StreamOutcome outcome) {
        return outcome.ending() instanceof ProcessEnding.Died died ? Optional.of(died.description()) : Optional.empty();
    }

    private static boolean crashRetryable(StreamOutcome outcome) {
        return outcome.ending() instanceof ProcessEnding.Died died && died.retryable();
    }

    private static Optional<ProcessEnding.Interrupted> interrupted(StreamOutcome outcome) {
        return outcome.ending() instanceof ProcessEnding.Interrupted i ? Optional.of(i) : Optional.empty();
    }

    private static Optional<String> stopped(StreamOutcome outcome) {
        return outcome.ending() instanceof ProcessEnding.StoppedEarly stop ? Optional.of(stop.description())
                : Optional.empty();
    }

    private static final io.bktec.watch.Stack STACK = new io.bktec.watch.Stack("Current thread 0x1 (most recent call "
            + "first):\n  File \"/builds/app/t.py\", line 9 in test_hang\n");

    @Test
    void aTestBktecStoppedIsNamedForItWithItsStackNotAsACrash() {
        TestStream stream = stream(TestStream.ScopeStyle.COLLECTOR, concat(test("t.py::ok", "passed", "passed", "passed"),
                new StreamEvent[]{new StreamEvent.Collected(List.of("t.py::ok", "t.py::hang", "t.py::after")),
                        new StreamEvent.TestStart("t.py::hang")}));
        stream.interrupted(new io.bktec.watch.Interruption.TimedOut("t.py::hang", java.time.Duration.ofSeconds(3), false,
                STACK));
        StreamOutcome outcome = stream.finish("SIGKILL");
        assertThat(crash(outcome)).isEmpty();
        assertThat(interrupted(outcome)).hasValueSatisfying(stopped -> assertThat(stopped.description())
                .isEqualTo("t.py::hang timed out after 3 s at t.py:9 (in test_hang); 1 test did not run"));
        TestResult hang = outcome.results().stream().filter(r -> r.nodeId().equals("t.py::hang")).findFirst().orElseThrow();
        assertThat(hang.status()).isEqualTo(TestStatus.FAILED);
        assertThat(hang.crashed()).isTrue(); // a retry runs it alone
        assertThat(hang.failureReason()).startsWith("timed out after 3 s at t.py:9 (in test_hang)\nCurrent thread 0x1");
        assertThat(outcome.notRun()).containsExactly("t.py::after");
        assertThat(outcome.results()).filteredOn(r -> r.nodeId().equals("t.py::after")).singleElement()
                .satisfies(r -> assertThat(r.failureReason()).isEqualTo("not run: its process was stopped when t.py::hang "
                        + "timed out"));
    }

    @Test
    void bktecsTimeoutStandsWhenTheStreamLaterSaysTheTestPassedAndTestsItStartedAfterRunElsewhere() {
        // the stack signal cut a GIL-holding C call short: the test went on to pass, the next one started, then the
        // kill bktec had decided on came
        TestStream stream = stream(TestStream.ScopeStyle.COLLECTOR, concat(
                new StreamEvent[]{new StreamEvent.Collected(List.of("t.py::gil", "t.py::next", "t.py::last"))},
                test("t.py::gil", "passed", "passed", "passed"),
                new StreamEvent[]{new StreamEvent.TestStart("t.py::next")}));
        stream.interrupted(new io.bktec.watch.Interruption.TimedOut("t.py::gil", java.time.Duration.ofSeconds(3),
                false, STACK));
        StreamOutcome outcome = stream.finish("SIGKILL");
        assertThat(outcome.ending()).isInstanceOf(ProcessEnding.Interrupted.class);
        assertThat(outcome.results()).extracting(TestResult::nodeId, TestResult::status).containsExactly(
                tuple("t.py::gil", TestStatus.FAILED), tuple("t.py::next", TestStatus.NOT_RUN),
                tuple("t.py::last", TestStatus.NOT_RUN));
        assertThat(outcome.results().get(0).failureReason()).startsWith("timed out after 3 s at t.py:9");
        assertThat(outcome.notRun()).containsExactly("t.py::next", "t.py::last");
        // the same when the session had ended before the kill: the decision still stands
        TestStream ended = stream(TestStream.ScopeStyle.COLLECTOR, concat(
                new StreamEvent[]{new StreamEvent.Collected(List.of("t.py::gil"))},
                test("t.py::gil", "passed", "passed", "passed"),
                new StreamEvent[]{new StreamEvent.SessionEnd(0)}));
        ended.interrupted(new io.bktec.watch.Interruption.TimedOut("t.py::gil", java.time.Duration.ofSeconds(3),
                false, STACK));
        StreamOutcome endedOutcome = ended.finish("exit status 0");
        assertThat(interrupted(endedOutcome)).hasValueSatisfying(i -> assertThat(i.description())
                .isEqualTo("t.py::gil timed out after 3 s at t.py:9 (in test_hang)"));
        assertThat(endedOutcome.results()).singleElement().satisfies(r -> assertThat(r.status())
                .isEqualTo(TestStatus.FAILED));
    }

    @Test
    void aCancelAndAnOomKillAreNamedToo() {
        TestStream cancelled = stream(TestStream.ScopeStyle.COLLECTOR, new StreamEvent.TestStart("t.py::hang"));
        cancelled.interrupted(new io.bktec.watch.Interruption.Cancelled("t.py::hang", java.time.Duration.ofMillis(9800),
                STACK));
        StreamOutcome outcome = cancelled.finish("SIGTERM");
        assertThat(interrupted(outcome).orElseThrow().description()).isEqualTo("t.py::hang was still running when the "
                + "job was cancelled (after 9.8 s) at t.py:9 (in test_hang)");
        TestStream memory = stream(TestStream.ScopeStyle.COLLECTOR, new StreamEvent.TestStart("t.py::big"));
        memory.interrupted(new io.bktec.watch.Interruption.OutOfMemory("t.py::big"));
        assertThat(memory.finish("SIGKILL").results()).singleElement().satisfies(r -> assertThat(r.failureReason())
                .isEqualTo("killed by the kernel for want of memory (SIGKILL)"));
    }

    @Test
    void aModuleWhoseCollectionTimedOutIsAFailureOfItsFileThatCountsAsStarted() {
        TestStream stream = stream(TestStream.ScopeStyle.COLLECTOR, new StreamEvent.Collecting("tests/test_slow_import.py"));
        stream.interrupted(new io.bktec.watch.Interruption.TimedOut("tests/test_slow_import.py",
                java.time.Duration.ofSeconds(3), true, io.bktec.watch.Stack.none()));
        assertThat(stream.startedIds()).containsExactly("tests/test_slow_import.py");
        assertThat(stream.finish("SIGKILL", false).results()).singleElement().satisfies(r -> {
            assertThat(r.nodeId()).isEqualTo("tests/test_slow_import.py");
            assertThat(r.status()).isEqualTo(TestStatus.FAILED);
            assertThat(r.collectionError()).isFalse();
            assertThat(r.failureReason()).isEqualTo("collecting tests/test_slow_import.py timed out after 3 s");
        });
    }

    @Test
    void whatMeasuredTheProcessesCoverageIsKeptForTheEndOfTheRun() {
        io.bktec.coverage.CoverageSetup setup = new io.bktec.coverage.CoverageSetup("pytest-cov", "/v/python", "/p",
                java.util.OptionalDouble.empty(), false, "{}");
        assertThat(stream(TestStream.ScopeStyle.JUNIT, new StreamEvent.Coverage(setup)).finish("exit status 0").coverage())
                .contains(setup);
        assertThat(stream(TestStream.ScopeStyle.JUNIT).finish("exit status 0").coverage()).isEmpty();
    }

    @Test
    void anyFailedPhaseFailsTheTestAndTheReasonNamesThePhase() {
        StreamOutcome outcome = stream(TestStream.ScopeStyle.COLLECTOR, concat(
                test("t.py::ok", "passed", "passed", "passed"),
                test("t.py::teardown", "passed", "passed", "failed"),
                test("t.py::call", "passed", "failed", "passed"),
                test("t.py::both", "passed", "failed", "failed"),
                new StreamEvent[]{new StreamEvent.TestStart("t.py::setup"),
                        new StreamEvent.PhaseReport("t.py::setup", "setup", "failed", 0.1, "ConnectionError", null, false),
                        new StreamEvent.PhaseReport("t.py::setup", "teardown", "passed", 0, "", null, false),
                        new StreamEvent.SessionEnd(1)})).finish("exit status 1");
        assertThat(outcome.usable()).isTrue();
        assertThat(crash(outcome)).isEmpty();
        assertThat(outcome.results()).extracting(TestResult::nodeId, TestResult::status, TestResult::failureReason)
                .containsExactly(tuple("t.py::ok", TestStatus.PASSED, ""),
                        tuple("t.py::teardown", TestStatus.FAILED, "error at teardown: T"),
                        tuple("t.py::call", TestStatus.FAILED, "C"),
                        tuple("t.py::both", TestStatus.FAILED, "C"),
                        tuple("t.py::setup", TestStatus.FAILED, "error at setup: ConnectionError"));
        assertThat(outcome.results().get(0).durationSeconds()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void skipsXfailsXpassesAndReruns() {
        StreamOutcome outcome = stream(TestStream.ScopeStyle.COLLECTOR,
                new StreamEvent.TestStart("t.py::skip"),
                new StreamEvent.PhaseReport("t.py::skip", "setup", "skipped", 0, "Skipped: no db", null, false),
                new StreamEvent.PhaseReport("t.py::skip", "teardown", "passed", 0, "", null, false),
                new StreamEvent.TestStart("t.py::xfail"),
                new StreamEvent.PhaseReport("t.py::xfail", "setup", "passed", 0, "", null, false),
                new StreamEvent.PhaseReport("t.py::xfail", "call", "skipped", 0, "", "bug 1", false),
                new StreamEvent.PhaseReport("t.py::xfail", "teardown", "passed", 0, "", null, false),
                new StreamEvent.TestStart("t.py::xpass"),
                new StreamEvent.PhaseReport("t.py::xpass", "setup", "passed", 0, "", null, false),
                new StreamEvent.PhaseReport("t.py::xpass", "call", "passed", 0, "", "bug 2", true),
                new StreamEvent.PhaseReport("t.py::xpass", "teardown", "passed", 0, "", null, false),
                // pytest-rerunfailures: a failed round marked "rerun", then the round that counts
                new StreamEvent.TestStart("t.py::rerun"),
                new StreamEvent.PhaseReport("t.py::rerun", "call", "rerun", 0, "flaky", null, false),
                new StreamEvent.PhaseReport("t.py::rerun", "teardown", "passed", 0, "", null, false),
                new StreamEvent.PhaseReport("t.py::rerun", "setup", "passed", 0, "", null, false),
                new StreamEvent.PhaseReport("t.py::rerun", "call", "passed", 0, "", null, false),
                new StreamEvent.PhaseReport("t.py::rerun", "teardown", "passed", 0, "", null, false),
                new StreamEvent.SessionEnd(0)).finish("exit status 0");
        assertThat(outcome.results()).extracting(TestResult::nodeId, TestResult::status).containsExactly(
                tuple("t.py::skip", TestStatus.SKIPPED), tuple("t.py::xfail", TestStatus.SKIPPED),
                tuple("t.py::xpass", TestStatus.PASSED), tuple("t.py::rerun", TestStatus.PASSED));
    }

    @Test
    void aProcessThatDiesMidTestNamesTheCrashedTestAndTheOnesThatNeverRan() {
        TestStream stream = stream(TestStream.ScopeStyle.COLLECTOR, concat(
                new StreamEvent[]{new StreamEvent.Collected(List.of("a.py::one", "b.py::crash", "b.py::after", "c.py::x"))},
                test("a.py::one", "passed", "passed", "passed"),
                new StreamEvent[]{new StreamEvent.TestStart("b.py::crash"),
                        new StreamEvent.PhaseReport("b.py::crash", "setup", "passed", 0, "", null, false)}));
        assertThat(stream.finishedCount()).isEqualTo(1);
        StreamOutcome outcome = stream.finish("SIGSEGV");
        assertThat(outcome.usable()).isTrue();
        assertThat(crashRetryable(outcome)).isTrue();
        assertThat(outcome.crashedTests()).containsExactly("b.py::crash");
        assertThat(outcome.notRun()).containsExactly("b.py::after", "c.py::x");
        assertThat(crash(outcome)).contains("b.py::crash crashed the test process (SIGSEGV); 2 tests did not run");
        assertThat(outcome.results()).extracting(TestResult::nodeId, TestResult::status, TestResult::crashed)
                .containsExactly(tuple("a.py::one", TestStatus.PASSED, false),
                        tuple("b.py::crash", TestStatus.FAILED, true),
                        tuple("b.py::after", TestStatus.NOT_RUN, false),
                        tuple("c.py::x", TestStatus.NOT_RUN, false));
        assertThat(outcome.results().get(1).failureReason()).isEqualTo("crashed the test process (SIGSEGV)");
    }

    @Test
    void aDeathOutsideAnyTestIsDescribedByWhereItHappened() {
        assertThat(crash(stream(TestStream.ScopeStyle.COLLECTOR).finish("SIGKILL")))
                .contains("the test process died (SIGKILL) while pytest was collecting tests");
        StreamOutcome collecting = stream(TestStream.ScopeStyle.COLLECTOR).finish("SIGKILL");
        assertThat(crashRetryable(collecting)).isFalse();
        assertThat(crash(stream(TestStream.ScopeStyle.COLLECTOR, new StreamEvent.Collected(List.of("a.py::t")))
                .finish("exit status 0")))
                .contains("the test process died (exit status 0) before its first test; 1 test did not run");
        StreamOutcome afterLast = stream(TestStream.ScopeStyle.COLLECTOR, concat(
                new StreamEvent[]{new StreamEvent.Collected(List.of("a.py::t"))},
                test("a.py::t", "passed", "passed", "passed"))).finish("SIGABRT");
        assertThat(crash(afterLast)).contains("the test process died (SIGABRT) after a.py::t, before the session ended");
        assertThat(crashRetryable(afterLast)).isFalse();
        assertThat(afterLast.results()).extracting(TestResult::status).containsExactly(TestStatus.PASSED);
    }

    @Test
    void withoutASessionStartThereIsNoStreamAndAPluginFaultMakesItUnusable() {
        TestStream silent = new TestStream(TestStream.ScopeStyle.COLLECTOR, ROOT);
        silent.accept(new StreamEvent.TestStart("a.py::t"));
        assertThat(silent.finish("exit status 1")).isEqualTo(StreamOutcome.absent());
        StreamOutcome broken = stream(TestStream.ScopeStyle.COLLECTOR, new StreamEvent.PluginError("KeyError: 'x'"),
                new StreamEvent.SessionEnd(0)).finish("exit status 0");
        assertThat(broken.usable()).isFalse();
        assertThat(broken.pluginError()).contains("KeyError: 'x'");
        assertThat(broken.ending()).isInstanceOf(ProcessEnding.Died.class);
    }

    @Test
    void collectionErrorsAndSkippedModulesComeFirst() {
        StreamOutcome outcome = stream(TestStream.ScopeStyle.JUNIT,
                new StreamEvent.CollectionError("tests/test_import.py", "ModuleNotFoundError: x"),
                new StreamEvent.CollectionSkip("tests/test_win.py", "Skipped: windows only"),
                new StreamEvent.SessionEnd(2)).finish("exit status 2");
        assertThat(outcome.results()).extracting(TestResult::nodeId, TestResult::status, TestResult::collectionError)
                .containsExactly(tuple("tests/test_import.py", TestStatus.FAILED, true),
                        tuple("tests/test_win.py", TestStatus.SKIPPED, false));
    }

    @Test
    void scopesFollowTheResultFormatSoMuteKeysMatchWhatTheTestEngineKnows() {
        StreamEvent[] events = concat(test("tests/api/test_x.py::TestA::test_b[a::b]", "passed", "passed", "passed"),
                new StreamEvent[]{new StreamEvent.SessionEnd(0)});
        assertThat(stream(TestStream.ScopeStyle.COLLECTOR, events).finish("").results())
                .extracting(TestResult::scope, TestResult::name)
                .containsExactly(tuple("tests/api/test_x.py::TestA::test_b[a", "b]"));
        assertThat(stream(TestStream.ScopeStyle.JUNIT, events).finish("").results())
                .extracting(TestResult::scope, TestResult::name)
                .containsExactly(tuple("tests.api.test_x.TestA", "test_b[a::b]"));
    }

    @Test
    void idsAreMadeRunnableFromTheWorkingDirectoryWhenPytestsRootdirIsElsewhere() {
        TestStream stream = new TestStream(TestStream.ScopeStyle.COLLECTOR, ROOT.resolve("service"));
        stream.accept(new StreamEvent.SessionStart("9", "3", 1, ROOT.toString(), ROOT.resolve("service").toString(), List.of()));
        for (StreamEvent event : test("service/tests/test_x.py::test_y", "passed", "failed", "passed")) {
            stream.accept(event);
        }
        stream.accept(new StreamEvent.SessionEnd(1));
        assertThat(stream.finish("exit status 1").results()).extracting(TestResult::nodeId, TestResult::scope)
                .containsExactly(tuple("tests/test_x.py::test_y", "service/tests/test_x.py"));
    }

    @Test
    void aSessionStoppedInsideATestFailsThatTestWithPytestsReasonAndTheRestAreNotRun() {
        StreamOutcome outcome = stream(TestStream.ScopeStyle.JUNIT, concat(
                new StreamEvent[]{new StreamEvent.Collected(List.of("t.py::a", "t.py::b", "t.py::c"))},
                test("t.py::a", "passed", "passed", "passed"),
                new StreamEvent[]{new StreamEvent.TestStart("t.py::b"),
                        new StreamEvent.PhaseReport("t.py::b", "setup", "passed", 0.1, "", null, false),
                        new StreamEvent.SessionEnd(0, "pytest.exit: enough")})).finish("exit status 0");
        assertThat(crash(outcome)).isEmpty();
        assertThat(stopped(outcome)).contains("the session stopped early (pytest.exit: enough) in t.py::b");
        assertThat(outcome.results()).extracting(TestResult::nodeId, TestResult::status, TestResult::failureReason)
                .containsExactly(tuple("t.py::a", TestStatus.PASSED, ""),
                        tuple("t.py::b", TestStatus.FAILED, "stopped inside this test: pytest.exit: enough"),
                        tuple("t.py::c", TestStatus.NOT_RUN, "not run: the session stopped early (pytest.exit: enough)"));
        assertThat(outcome.notRun()).containsExactly("t.py::c");
    }

    @Test
    void afterMaxfailTheTestsAfterTheFailureAreNotRunAndTheFailureStands() {
        StreamOutcome outcome = stream(TestStream.ScopeStyle.COLLECTOR, concat(
                new StreamEvent[]{new StreamEvent.Collected(List.of("t.py::a", "t.py::b", "t.py::c"))},
                test("t.py::a", "passed", "failed", "passed"),
                new StreamEvent[]{new StreamEvent.SessionEnd(1, "stopping after 1 failures")})).finish("exit status 1");
        assertThat(outcome.results()).extracting(TestResult::nodeId, TestResult::status)
                .containsExactly(tuple("t.py::a", TestStatus.FAILED), tuple("t.py::b", TestStatus.NOT_RUN),
                        tuple("t.py::c", TestStatus.NOT_RUN));
        assertThat(stopped(outcome)).contains("the session stopped early (stopping after 1 failures)");
    }

    @Test
    void aTestLeftUnfinishedBySessionEndWithoutAReasonIsNotRunNeverPassed() {
        StreamOutcome outcome = stream(TestStream.ScopeStyle.COLLECTOR, concat(
                new StreamEvent[]{new StreamEvent.Collected(List.of("t.py::a", "t.py::b")),
                        new StreamEvent.TestStart("t.py::a"),
                        new StreamEvent.PhaseReport("t.py::a", "setup", "passed", 0.1, "", null, false),
                        new StreamEvent.SessionEnd(0)})).finish("exit status 0");
        assertThat(outcome.results()).extracting(TestResult::nodeId, TestResult::status)
                .containsExactly(tuple("t.py::a", TestStatus.NOT_RUN), tuple("t.py::b", TestStatus.NOT_RUN));
        assertThat(stopped(outcome)).isEmpty();
    }

    @Test
    void aWorkersStreamLeavesUnstartedTestsToTheQueueButStillFailsTheInterruptedOne() {
        StreamOutcome outcome = stream(TestStream.ScopeStyle.COLLECTOR, concat(
                new StreamEvent[]{new StreamEvent.Collected(List.of("t.py::a", "t.py::b")),
                        new StreamEvent.TestStart("t.py::a"),
                        new StreamEvent.SessionEnd(2, "interrupted (KeyboardInterrupt)")})).finish("exit status 2", false);
        assertThat(outcome.results()).extracting(TestResult::nodeId, TestResult::status)
                .containsExactly(tuple("t.py::a", TestStatus.FAILED));
        assertThat(outcome.notRun()).isEmpty();
    }

    @Test
    void aPassedLineIsATestWhoseThreePhasesPassed() {
        TestStream stream = stream(TestStream.ScopeStyle.JUNIT, new StreamEvent.Collected(List.of("t.py::a")),
                new StreamEvent.TestStart("t.py::a"), new StreamEvent.TestPassed("t.py::a", 0.25),
                new StreamEvent.SessionEnd(0));
        assertThat(stream.finishedCount()).isEqualTo(1);
        assertThat(stream.finish("exit status 0").results())
                .extracting(TestResult::nodeId, TestResult::status, TestResult::durationSeconds)
                .containsExactly(tuple("t.py::a", TestStatus.PASSED, 0.25));
    }
}
