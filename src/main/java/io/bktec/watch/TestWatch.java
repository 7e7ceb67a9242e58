package io.bktec.watch;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * The run's watch over its running tests: every test process gets a {@link ProcessWatch}, whose clocks run on the
 * JVM's scheduler (virtual time in tests). A test past its timeout is stopped; on a cancel, every running test's
 * stack is taken before the cancel reaches it.
 */
public final class TestWatch {
    /** How long a cancel waits for the running tests' stacks before it goes on. */
    static final Duration CANCEL_STACKS_PATIENCE = Duration.ofMillis(1500);

    private final Duration timeout;
    private final Scheduler clock;
    private final StackTaker stacks;
    private final Killer killer;
    private final OomEvidence oom;
    private final Set<ProcessWatch> live = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    /** Kills one process (the test's own, by pid); false when it is already gone. */
    @FunctionalInterface
    public interface Killer extends IntPredicate {
    }

    /**
     * @param timeout every test's timeout, unless it has its own; zero for none
     * @param clock   where timeouts are counted
     */
    public TestWatch(Duration timeout, Scheduler clock, StackTaker stacks, Killer killer, OomEvidence oom) {
        this.timeout = timeout;
        this.clock = clock;
        this.stacks = stacks;
        this.killer = killer;
        this.oom = oom;
    }

    /** A watch for one test process, whose plugin writes its stacks to {@code stacksFile}. Blocking (reads a count). */
    public ProcessWatch watch(Path stacksFile) {
        return new ProcessWatch(this, stacksFile);
    }

    /**
     * The job is being cancelled: every running test is named with its stack, before the cancel's signal reaches it
     * (after it, the process could no longer say where it was). Blocking, for a bounded time.
     */
    public void cancelling() {
        cancelled = true;
        List<Mono<Void>> taken = live.stream().map(ProcessWatch::cancelling).toList();
        // a stack that does not come in time is not waited for: the cancel goes on
        Mono.when(taken).timeout(CANCEL_STACKS_PATIENCE).onErrorResume(e -> Mono.empty()).block();
    }

    /** No timeout, no stacks: for runs without bktec's plugin, and tests. */
    public static TestWatch off() {
        return new TestWatch(Duration.ZERO, reactor.core.scheduler.Schedulers.parallel(),
                (pid, signal, file) -> Mono.empty(), pid -> false,
                new OomEvidence(Path.of("/nonexistent"), Path.of("/nonexistent")));
    }

    /** The job is being cancelled: a SIGKILL from now on may be the cancel's own. */
    boolean cancelled() {
        return cancelled;
    }

    Duration timeout() {
        return timeout;
    }

    Scheduler clock() {
        return clock;
    }

    StackTaker stacks() {
        return stacks;
    }

    Killer killer() {
        return killer;
    }

    OomEvidence oom() {
        return oom;
    }

    void started(ProcessWatch watch) {
        live.add(watch);
    }

    void ended(ProcessWatch watch) {
        live.remove(watch);
    }
}
