package io.bktec.watch;

import io.bktec.process.ChildExit;
import io.bktec.process.Signals;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The clock of one test process's running test, fed from its results stream: a test runs from its start until its
 * last report (or the next test's start, or the session's end); in a worker a module being collected runs until it
 * is collected. When one runs past its timeout, its stack is taken and its process killed; on a cancel its stack is
 * taken; when the process dies of a SIGKILL nobody at bktec sent while the kernel counted an OOM kill, it is named as
 * killed for want of memory. What happened comes out of {@link #interruptions()}, always before the process's end.
 */
public final class ProcessWatch {
    private final TestWatch run;
    private final Path stacksFile;
    private final OptionalLong oomKillsBefore;
    private final Sinks.Many<Interruption> interruptions = Sinks.many().unicast().onBackpressureBuffer();
    private final Map<String, Double> ownTimeouts = new HashMap<>();
    private long pid;
    private int stackSignal;
    private Running running;
    private boolean killed;

    /** What runs now, since when, and the clock that stops it. */
    private static final class Running {
        final String nodeId;
        final boolean collecting;
        final long startedNanos;
        Disposable timer;
        boolean cancelled;

        Running(String nodeId, boolean collecting, long startedNanos) {
            this.nodeId = nodeId;
            this.collecting = collecting;
            this.startedNanos = startedNanos;
        }
    }

    ProcessWatch(TestWatch run, Path stacksFile) {
        this.run = run;
        this.stacksFile = stacksFile;
        this.oomKillsBefore = run.oom().kills();
        run.started(this);
    }

    /** Interruptions as they happen; they end with the process ({@link #ended}). */
    public Flux<Interruption> interruptions() {
        return interruptions.asFlux();
    }

    public synchronized void sessionStarted(long processId) {
        pid = processId;
    }

    public synchronized void stackSignal(int signal) {
        stackSignal = signal;
    }

    /** Tests whose timeout is their own (0: none). */
    public synchronized void ownTimeouts(Map<String, Double> timeouts) {
        ownTimeouts.putAll(timeouts);
    }

    public synchronized void testStarted(String nodeId) {
        begin(new Running(nodeId, false, now()));
    }

    /** A test's last report: its clock stops. */
    public synchronized void testFinished(String nodeId) {
        if (running != null && !running.collecting && running.nodeId.equals(nodeId)) {
            stop();
        }
    }

    /** A worker is collecting a module (importing it): timed as a test is. */
    public synchronized void collecting(String moduleId) {
        begin(new Running(moduleId, true, now()));
    }

    public synchronized void collected() {
        if (running != null && running.collecting) {
            stop();
        }
    }

    public synchronized void sessionEnded() {
        stop();
    }

    private void begin(Running next) {
        stop();
        running = next;
        Duration limit = next.collecting ? run.timeout() : timeoutOf(next.nodeId);
        if (!limit.isZero() && !killed) {
            next.timer = Mono.delay(limit, run.clock()).subscribe(tick -> timedOut(next, limit));
        }
    }

    private Duration timeoutOf(String nodeId) {
        Double own = ownTimeouts.get(nodeId);
        return own == null ? run.timeout() : Duration.ofMillis(Math.round(own * 1000));
    }

    private void stop() {
        if (running != null && running.timer != null) {
            running.timer.dispose();
        }
        running = null;
    }

    private long now() {
        return run.clock().now(TimeUnit.NANOSECONDS);
    }

    private void timedOut(Running test, Duration limit) {
        stackOf(test).subscribe(stack -> {
            synchronized (this) {
                if (running != test || killed) {
                    return; // it finished while its stack was taken
                }
                killed = true;
                running = null;
                interruptions.tryEmitNext(new Interruption.TimedOut(test.nodeId, limit, test.collecting, stack));
            }
            run.killer().test((int) pid);
        });
    }

    private Mono<Stack> stackOf(Running test) {
        int signal;
        long process;
        synchronized (this) {
            signal = stackSignal;
            process = pid;
        }
        if (signal == 0 || process <= 0) {
            return Mono.just(Stack.none()); // the plugin could not arm its handler: named without a stack
        }
        return run.stacks().take(process, signal, stacksFile).defaultIfEmpty(Stack.none())
                .onErrorReturn(Stack.none());
    }

    /** The job is being cancelled: the running test, if any, is named with its stack. */
    Mono<Void> cancelling() {
        Running test;
        synchronized (this) {
            test = running;
            if (test == null || killed) {
                return Mono.empty();
            }
            test.cancelled = true;
            if (test.timer != null) {
                test.timer.dispose();
            }
        }
        Duration after = Duration.ofNanos(Math.max(0, now() - test.startedNanos));
        return stackOf(test).doOnNext(stack -> {
            synchronized (this) {
                interruptions.tryEmitNext(new Interruption.Cancelled(test.nodeId, after, stack));
            }
        }).then();
    }

    /**
     * The process has ended: its interruptions are complete, with, when it died of a SIGKILL that bktec did not send
     * (no timeout, no cancel) while the kernel counted an OOM kill, the test it was running as killed for want of
     * memory. Reads the count off the event loop.
     */
    public Mono<Optional<Interruption>> ended(ChildExit exit) {
        return Mono.fromCallable(() -> {
            Optional<Interruption> memory = Optional.empty();
            synchronized (this) {
                boolean sigkill = exit instanceof ChildExit.Signalled s && s.signal() == Signals.SIGKILL;
                if (sigkill && !killed && !run.cancelled() && oomKillsBefore.isPresent()
                        && run.oom().kills().orElse(0) > oomKillsBefore.getAsLong()) {
                    memory = Optional.of(new Interruption.OutOfMemory(running == null ? "" : running.nodeId));
                }
                stop();
                interruptions.tryEmitComplete();
            }
            run.ended(this);
            return memory;
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
