package io.bktec.run;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.RunReport;
import io.bktec.process.ProcessRegistry;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import io.bktec.runner.Pytest;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.TestStream;
import io.bktec.watch.OomEvidence;
import io.bktec.watch.Stack;
import io.bktec.watch.StackTaker;
import io.bktec.watch.TestWatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What ends a test from outside, through the whole pipeline with a pretend pytest ({@link FakeSuite}): a test past
 * its timeout (its clock a virtual one, so no test waits for it), one whose blocking call a stack signal cuts short,
 * and one the kernel kills for want of memory. Each is decided once, and the rest of the batch runs after it.
 */
class RunPipelineInterruptionsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Stack STACK = new Stack("Current thread 0x1 (most recent call first):\n"
            + "  File \"" + "/app/test_hang.py\", line 16 in test_hangs\n");

    @TempDir
    Path tmp;

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ProcessRegistry registry = new ProcessRegistry(Duration.ofSeconds(1), VirtualTimeScheduler.create(),
            (pgid, signal) -> true);
    private final FakeSuite suite = new FakeSuite(Map.of(
            "test_a.py", List.of("test_one", "test_two"),
            "test_hang.py", List.of("test_hangs", "test_after"),
            "test_z.py", List.of("test_last")), (id, run) -> TestStatus.PASSED);
    private Path oomEvents;

    @BeforeEach
    void cgroup() throws Exception {
        Files.writeString(tmp.resolve("cgroup"), "0::/job\n");
        oomEvents = Files.createDirectories(tmp.resolve("sys/job")).resolve("memory.events");
        Files.writeString(oomEvents, "oom 0\noom_kill 0\n");
        suite.rootdir = tmp;
        suite.oomCount = oomEvents;
    }

    /** Runs the files at concurrency 1, moving the watch's clock on while a test hangs. */
    private RunReport run(StackTaker stacks) throws Exception {
        return run(new TestWatch(TIMEOUT, clock, stacks, suite::kill,
                new OomEvidence(tmp.resolve("sys"), tmp.resolve("cgroup"))), () -> clock.advanceTimeBy(Duration.ofSeconds(1)));
    }

    /** @param whileHanging what happens while a test hangs, again and again until the run ends */
    private RunReport run(TestWatch watch, Runnable whileHanging) throws Exception {
        ResultsStream streams = ResultsStream.using(tmp.resolve("plugin"), Map.of(), TestStream.ScopeStyle.JUNIT, tmp,
                Duration.ofMillis(5), Schedulers.boundedElastic()).watching(watch);
        Pytest pytest = Pytest.configure(Optional.empty(), Optional.empty(), () -> false, n -> { });
        RunPipeline pipeline = new RunPipeline(new RunContext(pytest, new RunOptions(0, false, 0, 1,
                Batches.DEFAULT_MAX_ARGUMENT_BYTES), suite, registry, new ResultFiles(Optional.empty(), tmp, "xml"),
                listener(), batch -> Quiet.OUTPUT, tmp, streams));
        CompletableFuture<RunReport> report = pipeline.run(List.of("test_a.py", "test_hang.py", "test_z.py"), Set.of())
                .toFuture();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!report.isDone() && System.nanoTime() < deadline) {
            if (suite.hanging()) {
                whileHanging.run(); // a test's clock starts once the stream shows it started
            }
            Thread.sleep(5);
        }
        return report.get(20, TimeUnit.SECONDS);
    }

    private RunListener listener() {
        return new RunListener() {
            @Override
            public void attemptStarting(int attempt, int retryCount, int testCount, int notRun, int batchCount) {
            }

            @Override
            public void batchStarting(Batch batch, List<String> argv) {
                events.add("start " + batch.label() + ": " + String.join(" ", argv.subList(1, argv.size() - 1)));
            }

            @Override
            public void batchFinished(BatchOutcome outcome) {
                events.add("done " + outcome.batch().label() + " " + outcome.exit().describe());
            }

            @Override
            public void attemptFinished(AttemptOutcome outcome, boolean failed) {
            }

            @Override
            public void notice(String text) {
                events.add("notice: " + text);
            }
        };
    }

    private static TestResult result(RunReport report, String nodeId) {
        return report.ledger().stream().map(r -> r.latest()).filter(r -> r.nodeId().equals(nodeId)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + nodeId));
    }

    @Test
    void aTestPastItsTimeoutFailsWithItsStackAndTheRestOfItsBatchRunsInANewProcess() throws Exception {
        suite.hangs = (id, run) -> id.endsWith("test_hangs");
        RunReport report = run((pid, signal, file) -> Mono.just(STACK));
        assertThat(report.decision().code()).as(events.toString()).isEqualTo(1);
        assertThat(report.decision().reason()).isEqualTo("1 test failed");
        assertThat(result(report, "test_hang.py::test_hangs")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(TestStatus.FAILED);
            assertThat(r.failureReason()).isEqualTo("timed out after 3 s at test_hang.py:16 (in test_hangs)\n"
                    + STACK.text().strip());
        });
        assertThat(report.ledger()).extracting(r -> r.latest().nodeId(), r -> r.latest().status()).contains(
                tuple("test_hang.py::test_after", TestStatus.PASSED), tuple("test_z.py::test_last", TestStatus.PASSED));
        assertThat(events).contains("done tests killed by SIGKILL")
                .contains("notice: test_hang.py::test_hangs timed out after 3 s at test_hang.py:16 (in test_hangs); 2 "
                        + "tests did not run, so they run in a new process (batch 2)")
                .contains("start batch 2 (the rest of tests): test_hang.py::test_after test_z.py::test_last");
    }

    @Test
    void aTimeoutStandsWhenTheStackSignalCutsTheCallShortAndTheTestGoesOnToPass() throws Exception {
        suite.hangs = (id, run) -> id.endsWith("test_hangs");
        // the signal interrupts the call (a C call holding the GIL): the test passes and the process runs on while
        // the stack is still being read
        RunReport report = run((pid, signal, file) -> Mono.fromRunnable(suite::cutShort)
                .then(Mono.delay(Duration.ofMillis(200), Schedulers.parallel())).thenReturn(STACK));
        assertThat(report.decision().code()).as(events.toString()).isEqualTo(1);
        assertThat(result(report, "test_hang.py::test_hangs")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(TestStatus.FAILED);
            assertThat(r.failureReason()).startsWith("timed out after 3 s");
        });
        assertThat(report.summary().failed()).isEqualTo(1);
        assertThat(report.summary().passedFirstRun()).isEqualTo(4);
    }

    @Test
    void aCancelNamesTheTestStillRunningWithItsStackAndNothingRunsAfterIt() throws Exception {
        suite.hangs = (id, run) -> id.endsWith("test_hangs");
        TestWatch watch = new TestWatch(Duration.ZERO, clock, (pid, signal, file) -> Mono.just(STACK), suite::kill,
                new OomEvidence(tmp.resolve("sys"), tmp.resolve("cgroup")));
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong hangSeen = new java.util.concurrent.atomic.AtomicLong();
        RunReport report = run(watch, () -> {
            hangSeen.compareAndSet(0, System.nanoTime());
            // the watch learns that the test runs when its stream is next read (every 5 ms here): a cancel before
            // that could not name it
            if (System.nanoTime() - hangSeen.get() < TimeUnit.MILLISECONDS.toNanos(300)) {
                return;
            }
            clock.advanceTimeBy(Duration.ofMillis(9800));
            if (cancelled.compareAndSet(false, true)) {
                // as bktec's signal handling does: the running tests' stacks first, then the signal to the processes
                watch.cancelling();
                registry.cancel(15);
                suite.cancel(15);
            }
        });
        assertThat(report.decision()).as(events.toString())
                .isEqualTo(new io.bktec.outcome.ExitStatus.Decision(143, "bktec was cancelled (SIGTERM)"));
        assertThat(result(report, "test_hang.py::test_hangs")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(TestStatus.FAILED);
            assertThat(r.failureReason()).startsWith("still running when the job was cancelled (after 9.8 s) at "
                    + "test_hang.py:16 (in test_hangs)\n");
        });
        assertThat(events).contains("done tests killed by SIGTERM").noneMatch(e -> e.contains("the rest of"));
        assertThat(report.attempts()).hasSize(1);
    }

    @Test
    void aTestTheKernelKilledForMemoryRunsOnceMoreAloneAndWhatItDoesAloneIsItsResult() throws Exception {
        suite.needsMemory = (id, run) -> id.endsWith("test_hangs") && run == 0;
        RunReport report = run((pid, signal, file) -> Mono.just(STACK));
        assertThat(report.decision().code()).as(events.toString()).isZero();
        assertThat(events).contains("notice: 1 test was killed by the kernel for want of memory: running it once more, "
                + "alone");
        assertThat(report.ledger()).filteredOn(r -> r.latest().nodeId().equals("test_hang.py::test_hangs"))
                .singleElement().satisfies(r -> {
                    assertThat(r.latest().status()).isEqualTo(TestStatus.PASSED);
                    assertThat(r.executions()).isEqualTo(2);
                });
        assertThat(events).contains("start batch 3 (alone: it was killed for want of memory): test_hang.py::test_hangs");
        assertThat(report.attempts()).hasSize(1); // not a retry: no retry count was given
    }
}
