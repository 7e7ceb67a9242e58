package io.bktec.report;

import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.ProcessEnding;
import io.bktec.outcome.ResultsRead;
import io.bktec.outcome.StreamOutcome;
import io.bktec.process.ChildExit;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import io.bktec.run.AttemptProgressProbe;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleReporterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private ConsoleReporter reporter(boolean buildkite, int concurrency) {
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new Style(false), buildkite, new Redactor(List.of()),
                false, 0);
        return new ConsoleReporter(console, "pytest", concurrency, nanos::get);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static long seconds(long s) {
        return s * 1_000_000_000L;
    }

    @Test
    void underBuildkiteAProgressLineAtMostEveryTenSeconds() {
        ConsoleReporter reporter = reporter(true, 1);
        reporter.attemptStarting(0, 0, 3, 0, 1);
        var progress = AttemptProgressProbe.of(0, nanos.get(), 6865, 1234, 3);
        reporter.progress(progress);
        nanos.addAndGet(seconds(9));
        reporter.progress(progress);
        assertThat(stdout()).doesNotContain("tests,"); // not yet ten seconds into the attempt
        nanos.addAndGet(seconds(121));
        reporter.progress(progress);
        reporter.progress(progress);
        nanos.addAndGet(seconds(5));
        reporter.progress(progress);
        assertThat(stdout().lines().filter(l -> l.contains(" tests, "))).containsExactly(
                "bktec: 1,234/6,865 tests, 3 failed, 2m10s");
        nanos.addAndGet(seconds(6));
        reporter.progress(progress);
        assertThat(stdout().lines().filter(l -> l.contains(" tests, "))).hasSize(2);
    }

    @Test
    void nothingExtraAtConcurrencyOneOutsideBuildkiteButProgressWithSeveralProcesses() {
        ConsoleReporter quiet = reporter(false, 1);
        quiet.attemptStarting(0, 0, 3, 0, 1);
        nanos.addAndGet(seconds(60));
        quiet.progress(AttemptProgressProbe.of(0, 0, 10, 5, 0));
        assertThat(stdout()).doesNotContain("tests,");
        ConsoleReporter parallel = reporter(false, 2);
        parallel.attemptStarting(0, 0, 3, 0, 2);
        nanos.addAndGet(seconds(60));
        parallel.progress(AttemptProgressProbe.of(0, 0, 0, 5, 0));
        assertThat(stdout()).contains("bktec: 5 tests, 0 failed, ");
    }

    @Test
    void numbersAndTimesAreWrittenForPeople() {
        assertThat(ConsoleReporter.grouped(0)).isEqualTo("0");
        assertThat(ConsoleReporter.grouped(999)).isEqualTo("999");
        assertThat(ConsoleReporter.grouped(1000)).isEqualTo("1,000");
        assertThat(ConsoleReporter.grouped(1234567)).isEqualTo("1,234,567");
        assertThat(ConsoleReporter.elapsed(seconds(45))).isEqualTo("45s");
        assertThat(ConsoleReporter.elapsed(seconds(130))).isEqualTo("2m10s");
        assertThat(ConsoleReporter.elapsed(seconds(3723))).isEqualTo("1h02m03s");
    }

    @Test
    void aRetryAfterACrashSaysWhichTestsDidNotRunAndTheCrashIsOneWarningNamingTheTest() {
        ConsoleReporter reporter = reporter(false, 1);
        reporter.attemptStarting(1, 2, 3, 2, 2);
        reporter.attemptStarting(2, 2, 2, 2, 1);
        reporter.attemptStarting(1, 2, 20, 0, 1);
        assertThat(stdout()).contains("--- bktec: retry 1 of 2: 1 failed test and 2 that did not run in 2 batches\n")
                .contains("--- bktec: retry 2 of 2: 2 tests that did not run\n")
                .contains("--- bktec: retry 1 of 2: 20 failed tests\n");
        StreamOutcome stream = new StreamOutcome(true, Optional.empty(),
                List.of(new TestResult("t.py", "c", "t.py::c", TestStatus.FAILED, 0, "crashed", false, true)),
                List.of("t.py::c"), List.of(),
                new ProcessEnding.Died("t.py::c crashed the test process (SIGSEGV)", true), Optional.empty());
        Batch batch = new Batch(0, 1, 1, List.of("t.py"), Path.of("r.xml"), Path.of("s.jsonl"));
        reporter.batchFinished(new BatchOutcome(batch, new ChildExit.Signalled(11),
                new ResultsRead.Streamed(stream, new ResultsRead.Missing(), List.of())));
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("bktec: pytest (tests): t.py::c crashed the test process (SIGSEGV)\n");
    }

    @Test
    void aMissingStreamIsToldOncePerRun() {
        ConsoleReporter reporter = reporter(false, 1);
        Batch batch = new Batch(0, 1, 1, List.of("t.py"), Path.of("r.xml"), Path.of("s.jsonl"));
        BatchOutcome outcome = new BatchOutcome(batch, new ChildExit.Exited(0), new ResultsRead.Read(List.of()),
                Optional.of("pytest did not load bktec's plugin"));
        reporter.batchFinished(outcome);
        reporter.batchFinished(outcome);
        assertThat(stdout().lines().filter(l -> l.contains("did not load"))).containsExactly(
                "bktec: pytest did not load bktec's plugin; results come from the result file, so a crash cannot be "
                        + "pinned on a test");
    }
}
