package io.bktec.watch;

import io.bktec.process.ChildExit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The watch's clock runs on the JVM's scheduler: here a virtual one, so that hours pass in no time. */
class ProcessWatchTest {
    @TempDir
    Path tmp;

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final List<Integer> killed = new CopyOnWriteArrayList<>();
    private final List<ProcessWatch> watches = new CopyOnWriteArrayList<>();
    private final Stack stack = new Stack("Current thread 0x1 (most recent call first):\n"
            + "  File \"/app/t.py\", line 7 in test_b\n");
    private Path oomControl;

    @BeforeEach
    void cgroup() throws Exception {
        Files.writeString(tmp.resolve("cgroup"), "4:memory:/job\n");
        oomControl = Files.createDirectories(tmp.resolve("sys/memory/job")).resolve("memory.oom_control");
        Files.writeString(oomControl, "oom_kill 0\n");
    }

    private TestWatch run(Duration timeout) {
        return new TestWatch(timeout, clock, (pid, signal, file) -> Mono.just(stack), pid -> killed.add(pid),
                new OomEvidence(tmp.resolve("sys"), tmp.resolve("cgroup")));
    }

    private ProcessWatch watch(TestWatch run) {
        ProcessWatch watch = run.watch(tmp.resolve("stacks.txt"));
        watches.add(watch);
        watch.sessionStarted(4242);
        watch.stackSignal(40);
        return watch;
    }

    /** The decisions the watches have made so far, once their stacks are in. */
    private List<Interruption> seen() {
        return watches.stream().flatMap(w -> w.decision().stream()).toList();
    }

    @Test
    void theTimeoutIsDecidedWhenTheClockRunsOutAndStandsWhateverTheStreamSaysWhileTheStackIsTaken() {
        // the stack comes a second after the signal: meanwhile the test's call returns (a stack signal cut a blocking
        // C call short) and the stream says it passed, then the process ends by itself
        TestWatch run = new TestWatch(Duration.ofSeconds(3), clock,
                (pid, signal, file) -> Mono.delay(Duration.ofSeconds(1), clock).map(tick -> stack),
                pid -> killed.add(pid), new OomEvidence(tmp.resolve("sys"), tmp.resolve("cgroup")));
        ProcessWatch watch = watch(run);
        watch.testStarted("t.py::test_gil");
        clock.advanceTimeBy(Duration.ofSeconds(3));
        watch.testFinished("t.py::test_gil");
        watch.testStarted("t.py::test_after");
        watch.testFinished("t.py::test_after");
        watch.sessionEnded();
        var ended = watch.ended(new ChildExit.Exited(0)).toFuture();
        assertThat(ended).isNotDone(); // the end waits for the decision's stack
        clock.advanceTimeBy(Duration.ofSeconds(1));
        Interruption timedOut = new Interruption.TimedOut("t.py::test_gil", Duration.ofSeconds(3), false, stack);
        assertThat(ended.join()).contains(timedOut);
        assertThat(seen()).containsExactly(timedOut);
        assertThat(killed).containsExactly(4242);
    }

    @Test
    void aTestPastItsTimeoutIsNamedWithItsStackThenItsProcessKilled() {
        ProcessWatch watch = watch(run(Duration.ofSeconds(3)));
        watch.testStarted("t.py::test_a");
        clock.advanceTimeBy(Duration.ofMillis(2900));
        watch.testFinished("t.py::test_a");
        watch.testStarted("t.py::test_b");
        clock.advanceTimeBy(Duration.ofMillis(2900));
        assertThat(seen()).isEmpty();
        clock.advanceTimeBy(Duration.ofMillis(100));
        assertThat(seen()).containsExactly(new Interruption.TimedOut("t.py::test_b", Duration.ofSeconds(3), false, stack));
        assertThat(killed).containsExactly(4242);
        watch.testStarted("t.py::test_c"); // what the dying process still wrote: no second kill
        clock.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(killed).hasSize(1);
    }

    @Test
    void aQuietTestIsFineUntilItsOwnTimeoutAndOwnTimeoutsOverrideTheRunsOne() {
        ProcessWatch watch = watch(run(Duration.ofMinutes(5)));
        watch.ownTimeouts(Map.of("t.py::test_slow", 600.0, "t.py::test_free", 0.0));
        watch.testStarted("t.py::test_quiet");
        clock.advanceTimeBy(Duration.ofMinutes(4)); // no event for minutes: not a hang
        watch.testFinished("t.py::test_quiet");
        watch.testStarted("t.py::test_free");
        clock.advanceTimeBy(Duration.ofHours(2));
        watch.testFinished("t.py::test_free");
        watch.testStarted("t.py::test_slow");
        clock.advanceTimeBy(Duration.ofMinutes(9));
        assertThat(seen()).isEmpty();
        clock.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(seen()).extracting(Interruption::nodeId).containsExactly("t.py::test_slow");
        assertThat(seen().get(0).reason()).startsWith("timed out after 10 min");
    }

    @Test
    void withoutATimeoutNothingIsEverStopped() {
        ProcessWatch watch = watch(run(Duration.ZERO));
        watch.testStarted("t.py::test_a");
        clock.advanceTimeBy(Duration.ofDays(1));
        assertThat(seen()).isEmpty();
        assertThat(killed).isEmpty();
    }

    @Test
    void aWorkersModuleCollectionIsTimedAsATestIs() {
        ProcessWatch watch = watch(run(Duration.ofSeconds(3)));
        watch.collecting("tests/test_fast.py");
        watch.collected();
        watch.collecting("tests/test_import_hangs.py");
        clock.advanceTimeBy(Duration.ofSeconds(3));
        assertThat(seen()).containsExactly(new Interruption.TimedOut("tests/test_import_hangs.py", Duration.ofSeconds(3),
                true, stack));
    }

    @Test
    void aCancelNamesTheRunningTestWithHowLongItRanAndItsStack() {
        TestWatch run = run(Duration.ZERO);
        ProcessWatch watch = watch(run);
        ProcessWatch idle = watch(run);
        watch.testStarted("t.py::test_b");
        clock.advanceTimeBy(Duration.ofMillis(9812));
        run.cancelling();
        assertThat(seen()).containsExactly(new Interruption.Cancelled("t.py::test_b", Duration.ofMillis(9812), stack));
        assertThat(killed).isEmpty(); // the cancel's own signal ends it
        assertThat(idle.ended(new ChildExit.Signalled(15)).block()).isEmpty();
    }

    @Test
    void aSigkillNobodyAtBktecSentWhileTheKernelCountedAnOomKillIsMemory() throws Exception {
        TestWatch run = run(Duration.ZERO);
        ProcessWatch counted = watch(run);
        ProcessWatch notCounted = watch(run);
        counted.testStarted("t.py::test_big");
        notCounted.testStarted("t.py::test_other");
        assertThat(notCounted.ended(new ChildExit.Signalled(9)).block()).isEmpty(); // no OOM kill counted yet
        Files.writeString(oomControl, "oom_kill 1\n");
        assertThat(counted.ended(new ChildExit.Exited(1)).block()).isEmpty(); // not a SIGKILL
        Files.writeString(oomControl, "oom_kill 2\n");
        ProcessWatch killedForMemory = watch(run);
        killedForMemory.testStarted("t.py::test_big");
        assertThat(killedForMemory.ended(new ChildExit.Signalled(9)).block()).isEmpty(); // counted before it began
        ProcessWatch victim = watch(run);
        victim.testStarted("t.py::test_big");
        Files.writeString(oomControl, "oom_kill 3\n");
        assertThat(victim.ended(new ChildExit.Signalled(9)).block())
                .contains(new Interruption.OutOfMemory("t.py::test_big"));
    }

    @Test
    void aTimedOutTestsKillIsNotTakenForMemory() throws Exception {
        ProcessWatch watch = watch(run(Duration.ofSeconds(1)));
        watch.testStarted("t.py::test_b");
        clock.advanceTimeBy(Duration.ofSeconds(1));
        Files.writeString(oomControl, "oom_kill 1\n");
        // the end gives bktec's decision, not memory
        assertThat(watch.ended(new ChildExit.Signalled(9)).block()).hasValueSatisfying(
                interruption -> assertThat(interruption).isInstanceOf(Interruption.TimedOut.class));
    }
}
