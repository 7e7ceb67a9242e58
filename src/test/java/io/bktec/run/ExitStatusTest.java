package io.bktec.run;

import io.bktec.coverage.CoverageOutcome;
import io.bktec.outcome.BatchFacts;
import io.bktec.outcome.ExitStatus;
import io.bktec.outcome.ProcessEnding;
import io.bktec.process.ChildExit;
import io.bktec.runner.ExitMeaning;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class ExitStatusTest {
    private static BatchFacts exited(int code, boolean readable, int failed) {
        return new BatchFacts(new ChildExit.Exited(code), pytestMeaning(code), readable, failed, false);
    }

    private static ExitMeaning pytestMeaning(int code) {
        return switch (code) {
            case 0 -> ExitMeaning.PASSED;
            case 1 -> ExitMeaning.TESTS_FAILED;
            case 5 -> ExitMeaning.NO_TESTS;
            default -> ExitMeaning.TERMINAL;
        };
    }

    private static int decide(OptionalInt cancel, int unmutedFailures, int recorded, List<List<BatchFacts>> attempts) {
        return ExitStatus.decide(new ExitStatus.Facts(cancel, attempts, unmutedFailures, recorded)).code();
    }

    @Test
    void coverageUnderItsFailUnderFailsAPassingRunAndNeverGreensAFailingOne() {
        ExitStatus.Decision green = new ExitStatus.Decision(0, "all tests passed");
        CoverageOutcome under = new CoverageOutcome.Combined(".coverage", OptionalDouble.of(87.175),
                OptionalDouble.of(90), true, 4, "");
        assertThat(ExitStatus.withCoverage(green, under)).isEqualTo(new ExitStatus.Decision(1,
                "total coverage 87.18% is under the required 90% (--cov-fail-under), combined from 4 coverage data files"));
        CoverageOutcome reached = new CoverageOutcome.Combined(".coverage", OptionalDouble.of(91), OptionalDouble.of(90),
                false, 4, "");
        assertThat(ExitStatus.withCoverage(green, reached)).isEqualTo(green);
        ExitStatus.Decision red = new ExitStatus.Decision(2, "interrupted");
        assertThat(ExitStatus.withCoverage(red, under)).isEqualTo(red);
    }

    @Test
    void coverageThatCouldNotBeCombinedFailsARunOnlyWhenAFailUnderWasAsked() {
        ExitStatus.Decision green = new ExitStatus.Decision(0, "all tests passed");
        assertThat(ExitStatus.withCoverage(green, new CoverageOutcome.Failed("no data", OptionalDouble.of(87.5))))
                .isEqualTo(new ExitStatus.Decision(1, "coverage could not be combined, so --cov-fail-under=87.5 could "
                        + "not be judged: no data"));
        assertThat(ExitStatus.withCoverage(green, new CoverageOutcome.Failed("no data", OptionalDouble.empty())))
                .isEqualTo(green);
        assertThat(ExitStatus.withCoverage(green, new CoverageOutcome.None())).isEqualTo(green);
    }

    @Test
    void aProcessBktecStoppedInAHungTestOrTheKernelKilledForMemoryIsItsTestsFailureNoMore() {
        BatchFacts stopped = new BatchFacts(new ChildExit.Signalled(9), null, true, 1, false, interrupted(
                new io.bktec.watch.Interruption.TimedOut("t.py::hang", java.time.Duration.ofSeconds(3), false,
                        io.bktec.watch.Stack.none())));
        assertThat(stopped.terminal()).isFalse();
        // its test failed: 1, not 137
        assertThat(decide(OptionalInt.empty(), 1, 5, List.of(List.of(stopped)))).isEqualTo(1);
        // retried past and passed: green (a hang is no crash that keeps the run red)
        assertThat(decide(OptionalInt.empty(), 0, 5, List.of(List.of(stopped), List.of(exited(0, true, 0))))).isZero();
        BatchFacts memory = new BatchFacts(new ChildExit.Signalled(9), null, true, 1, false,
                interrupted(new io.bktec.watch.Interruption.OutOfMemory("t.py::big")));
        assertThat(decide(OptionalInt.empty(), 0, 5, List.of(List.of(memory, exited(0, true, 0))))).isZero();
        // an unexplained SIGKILL still decides
        assertThat(decide(OptionalInt.empty(), 0, 5, List.of(List.of(new BatchFacts(new ChildExit.Signalled(9), null,
                true, 0, false))))).isEqualTo(137);
    }

    @Test
    void rule1ProcessThatNeverStartedIs16() {
        assertThat(decide(OptionalInt.empty(), 0, 0, List.of(List.of(
                new BatchFacts(new ChildExit.NotStarted("setsid missing"), null, false, 0, false))))).isEqualTo(16);
    }

    @Test
    void rule2CancelledIs128PlusSignalEvenIfEverythingPassed() {
        assertThat(decide(OptionalInt.of(15), 0, 3, List.of(List.of(exited(0, true, 0))))).isEqualTo(143);
        assertThat(decide(OptionalInt.of(2), 0, 0, List.of())).isEqualTo(130);
    }

    @Test
    void rule3ChildKilledBySignalIs128PlusSignal() {
        BatchFacts killed = new BatchFacts(new ChildExit.Signalled(9), null, false, 0, false);
        assertThat(decide(OptionalInt.empty(), 0, 0, List.of(List.of(exited(0, true, 0), killed)))).isEqualTo(137);
        BatchFacts segv = new BatchFacts(new ChildExit.Signalled(11), null, true, 0, false);
        assertThat(decide(OptionalInt.empty(), 0, 5, List.of(List.of(segv), List.of(exited(0, true, 0))))).isEqualTo(139);
    }

    @Test
    void rule4TerminalErrorsKeepTheChildCodeAndNeverZero() {
        assertThat(decide(OptionalInt.empty(), 0, 0, List.of(List.of(exited(2, true, 1))))).isEqualTo(2);
        assertThat(decide(OptionalInt.empty(), 0, 0, List.of(List.of(exited(4, false, 0))))).isEqualTo(4);
        assertThat(decide(OptionalInt.empty(), 0, 0, List.of(List.of(exited(3, false, 0))))).isEqualTo(3);
        // exit 1 whose results cannot be read
        assertThat(decide(OptionalInt.empty(), 0, 0, List.of(List.of(exited(1, false, 0))))).isEqualTo(1);
        // exit 1 whose results show no failure (a teardown error the JSON calls passed)
        assertThat(decide(OptionalInt.empty(), 0, 10, List.of(List.of(exited(1, true, 0))))).isEqualTo(1);
        // a collection error reported by a process that exited 0 is still red
        BatchFacts collection = new BatchFacts(new ChildExit.Exited(0), ExitMeaning.PASSED, true, 1, true);
        assertThat(decide(OptionalInt.empty(), 0, 1, List.of(List.of(collection)))).isEqualTo(1);
        // a retry that exits 4 because node ids did not resolve, after a failing first attempt
        assertThat(decide(OptionalInt.empty(), 1, 3, List.of(List.of(exited(1, true, 1)), List.of(exited(4, true, 0)))))
                .isEqualTo(4);
    }

    @Test
    void rule5UnmutedFailureInResultsIsRedEvenIfTheLastChildExited0() {
        assertThat(decide(OptionalInt.empty(), 2, 5, List.of(List.of(exited(0, true, 2))))).isEqualTo(1);
        assertThat(decide(OptionalInt.empty(), 1, 5, List.of(List.of(exited(1, true, 3)), List.of(exited(0, true, 0)))))
                .isEqualTo(1);
    }

    @Test
    void rule6OnlyMutedFailuresWithExit1IsGreen() {
        assertThat(decide(OptionalInt.empty(), 0, 5, List.of(List.of(exited(1, true, 2))))).isZero();
    }

    @Test
    void rule7AllPassedPossiblyAfterRetriesIsGreen() {
        assertThat(decide(OptionalInt.empty(), 0, 5, List.of(List.of(exited(0, true, 0))))).isZero();
        assertThat(decide(OptionalInt.empty(), 0, 5, List.of(List.of(exited(1, true, 1)), List.of(exited(0, true, 0)))))
                .isZero();
        // a batch that collected nothing while others ran tests is not a failure
        assertThat(decide(OptionalInt.empty(), 0, 5, List.of(List.of(exited(0, true, 0), exited(5, true, 0))))).isZero();
    }

    @Test
    void noTestsCollectedAnywhereKeepsPytestsCode5() {
        assertThat(decide(OptionalInt.empty(), 0, 0, List.of(List.of(exited(5, true, 0))))).isEqualTo(5);
    }

    private static BatchFacts crashed(ChildExit exit, boolean retryable) {
        return new BatchFacts(exit, exit instanceof ChildExit.Exited e ? pytestMeaning(e.code()) : null, true, 1, false,
                new ProcessEnding.Died("t.py::c crashed the test process", retryable));
    }

    private static ProcessEnding interrupted(io.bktec.watch.Interruption interruption) {
        return new ProcessEnding.Interrupted(interruption, interruption.reason());
    }

    @Test
    void aCrashTheStreamPinnedOnATestIsRetriedPastButNeverGreen() {
        BatchFacts segv = crashed(new ChildExit.Signalled(11), true);
        assertThat(segv.terminal()).isFalse();
        // crashed again in the last attempt: 128+N, naming the test
        ExitStatus.Decision again = ExitStatus.decide(new ExitStatus.Facts(OptionalInt.empty(),
                List.of(List.of(segv), List.of(segv)), 1, 4));
        assertThat(again).isEqualTo(new ExitStatus.Decision(139, "t.py::c crashed the test process"));
        // the retry passed: still red, with 1
        ExitStatus.Decision past = ExitStatus.decide(new ExitStatus.Facts(OptionalInt.empty(),
                List.of(List.of(segv), List.of(exited(0, true, 0))), 0, 4));
        assertThat(past.code()).isEqualTo(1);
        assertThat(past.reason()).contains("t.py::c crashed the test process (attempt 1)").contains("keeps the run red");
        // os._exit(3) in a test of the last attempt keeps its code; os._exit(0) is never green
        assertThat(decide(OptionalInt.empty(), 1, 4, List.of(List.of(crashed(new ChildExit.Exited(3), true))))).isEqualTo(3);
        assertThat(decide(OptionalInt.empty(), 1, 4, List.of(List.of(crashed(new ChildExit.Exited(0), true))))).isEqualTo(1);
    }

    @Test
    void aCrashWithNothingToRetryIsTerminal() {
        BatchFacts collecting = crashed(new ChildExit.Exited(0), false);
        assertThat(collecting.terminalReason()).isEqualTo("t.py::c crashed the test process");
        assertThat(decide(OptionalInt.empty(), 0, 0, List.of(List.of(collecting)))).isEqualTo(1);
        assertThat(decide(OptionalInt.empty(), 0, 0, List.of(List.of(crashed(new ChildExit.Signalled(9), false)))))
                .isEqualTo(137);
    }

    private static BatchFacts stopped(int code, int failed) {
        return new BatchFacts(new ChildExit.Exited(code), pytestMeaning(code), true, failed, false,
                new ProcessEnding.StoppedEarly("pytest.exit: enough", "the session stopped early (pytest.exit: enough)"));
    }

    @Test
    void testsThatNeverRanAreNeverGreenAndAStoppedSessionKeepsItsOwnCode() {
        // pytest.exit(returncode=0) with a test left unrun: 1, never 0
        ExitStatus.Decision exit0 = ExitStatus.decide(new ExitStatus.Facts(OptionalInt.empty(),
                List.of(List.of(stopped(0, 0))), 0, 3, 1));
        assertThat(exit0).isEqualTo(new ExitStatus.Decision(1,
                "1 test never ran; the session stopped early (pytest.exit: enough)"));
        // an interrupt (exit 2) is not terminal when pytest said why it stopped: a retry can run what it left
        assertThat(stopped(2, 1).terminal()).isFalse();
        ExitStatus.Decision interrupted = ExitStatus.decide(new ExitStatus.Facts(OptionalInt.empty(),
                List.of(List.of(stopped(2, 1))), 1, 3, 2));
        assertThat(interrupted.code()).isEqualTo(2);
        assertThat(interrupted.reason()).startsWith("1 test failed and 2 tests never ran;");
        // without a stop to blame, tests that never ran are red with 1
        assertThat(decide(OptionalInt.empty(), 0, 3, List.of(List.of(exited(0, true, 0))))).isZero();
        assertThat(ExitStatus.decide(new ExitStatus.Facts(OptionalInt.empty(), List.of(List.of(exited(0, true, 0))),
                0, 3, 2)).reason()).isEqualTo("2 tests never ran");
        // stopped early, then the retry ran everything and it passed: green
        assertThat(ExitStatus.decide(new ExitStatus.Facts(OptionalInt.empty(),
                List.of(List.of(stopped(1, 1)), List.of(exited(0, true, 0))), 0, 3, 0)).code()).isZero();
    }

    @Provide
    Arbitrary<BatchFacts> batches() {
        Arbitrary<ChildExit> exits = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 255).map(ChildExit.Exited::new),
                Arbitraries.integers().between(0, 6).map(ChildExit.Exited::new),
                Arbitraries.integers().between(1, 64).map(ChildExit.Signalled::new),
                Arbitraries.just(new ChildExit.NotStarted("x")));
        Arbitrary<ProcessEnding> crashes = Arbitraries.oneOf(
                Arbitraries.just(new ProcessEnding.Unobserved()), Arbitraries.just(new ProcessEnding.Completed()),
                Arbitraries.of(true, false).map(retryable -> new ProcessEnding.Died("c", retryable)));
        return Combinators.combine(exits, Arbitraries.of(true, false), Arbitraries.integers().between(0, 3),
                        Arbitraries.of(true, false), crashes)
                .as((exit, readable, failed, collection, crash) -> new BatchFacts(exit,
                        exit instanceof ChildExit.Exited e ? pytestMeaning(e.code()) : null,
                        readable, readable ? failed : 0, readable && collection && failed > 0,
                        exit instanceof ChildExit.NotStarted ? new ProcessEnding.Unobserved() : crash));
    }

    /** An independent statement of "unexplained failure", written from DESIGN.md §3 rather than from the code. */
    private static boolean unexplained(BatchFacts b, int recorded) {
        if (!(b.exit() instanceof ChildExit.Exited e)) {
            return true;
        }
        if (b.collectionError() || b.crash().isPresent()) {
            return true; // a process that died mid-session is a failure whatever a retry did after it
        }
        return switch (e.code()) {
            case 0 -> false;
            case 1 -> !b.resultsReadable() || b.failedResults() == 0;
            case 5 -> recorded == 0;
            default -> true;
        };
    }

    @Property(tries = 2000)
    void noSequenceWithAnUnexplainedFailureEverExitsZero(
            @ForAll("attempts") List<List<BatchFacts>> attempts,
            @ForAll("counts") int unmutedFailures,
            @ForAll("counts") int recorded,
            @ForAll boolean cancelled) {
        OptionalInt cancel = cancelled ? OptionalInt.of(15) : OptionalInt.empty();
        int code = decide(cancel, unmutedFailures, recorded, attempts);
        boolean anyUnexplained = attempts.stream().flatMap(List::stream).anyMatch(b -> unexplained(b, recorded));
        if (cancelled || anyUnexplained || unmutedFailures > 0) {
            assertThat(code).isNotZero();
        } else {
            assertThat(code).isZero(); // and no false red either
        }
        assertThat(code).isBetween(0, 255);
    }

    @Provide
    Arbitrary<List<List<BatchFacts>>> attempts() {
        return batches().list().ofMinSize(1).ofMaxSize(3).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Integer> counts() {
        return Arbitraries.integers().between(0, 3);
    }
}
