package io.bktec.watch;

import io.bktec.process.ChildExit;
import io.bktec.process.Signals;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
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
 * killed for want of memory. Each is bktec's decision, recorded when it is made; it comes out once, with the
 * process's end ({@link #ended}), and stands whatever the test's stream said after it.
 */
public final class ProcessWatch {
    private final TestWatch run;
    private final Path stacksFile;
    private final OptionalLong oomKillsBefore;
    private final Map<String, Double> ownTimeouts = new HashMap<>();
    private long pid;
    private int stackSignal;
    private Running running;
    /** bktec decided to stop the process (its test timed out, or the job is cancelled): no clock starts after. */
    private boolean killed;
    /** bktec's decision (a timeout, a cancel), with the stack it takes; the process's end waits for it. */
    private Mono<Interruption> decided = Mono.empty();
    private Interruption announced;

    /** What runs now, since when, and the clock that stops it. */
    private static final class Running {
        final String nodeId;
        final boolean collecting;
        final long startedNanos;
        Disposable timer;

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

    /** The decision made so far, once its stack is in; empty before. Only the tests look before the end. */
    public synchronized Optional<Interruption> decision() {
        return Optional.ofNullable(announced);
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

    /**
     * The test ran past its limit: that is decided now, while it is the running test, and stands whatever its
     * stream says later (a stack signal can cut a blocking call short and let the test go on to pass). Its stack is
     * taken, the decision announced, and its process killed; the process's end waits for the announcement.
     */
    private void timedOut(Running test, Duration limit) {
        synchronized (this) {
            if (running != test || killed) {
                return; // its end was read before the clock ran out
            }
            killed = true;
            running = null;
            decided = stackOf(test)
                    .map(stack -> (Interruption) new Interruption.TimedOut(test.nodeId, limit, test.collecting, stack))
                    .doOnNext(interruption -> {
                        announce(interruption);
                        run.killer().test((int) pid);
                    })
                    .cache();
        }
        decided.subscribe();
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
        Mono<Interruption> cancel;
        synchronized (this) {
            test = running;
            if (test == null || killed) {
                return Mono.empty();
            }
            if (test.timer != null) {
                test.timer.dispose();
            }
            killed = true; // no clock starts after a cancel: the cancel's own signal ends the process
            Duration after = Duration.ofNanos(Math.max(0, now() - test.startedNanos));
            cancel = stackOf(test).map(stack -> (Interruption) new Interruption.Cancelled(test.nodeId, after, stack))
                    .doOnNext(this::announce)
                    .cache();
            decided = cancel;
        }
        return cancel.then();
    }

    private synchronized void announce(Interruption interruption) {
        announced = interruption;
    }

    /**
     * The process has ended: bktec's decision, once its stack is in (a timeout, a cancel), or else, when it died of
     * a SIGKILL that bktec did not send while the kernel counted an OOM kill, the test it was running as killed for
     * want of memory. Reads the count off the event loop.
     */
    public Mono<Optional<Interruption>> ended(ChildExit exit) {
        Mono<Interruption> decision;
        synchronized (this) {
            decision = decided;
        }
        return decision.map(Optional::of).switchIfEmpty(Mono.fromCallable(() -> {
            Optional<Interruption> memory = Optional.empty();
            synchronized (this) {
                boolean sigkill = exit instanceof ChildExit.Signalled s && s.signal() == Signals.SIGKILL;
                if (sigkill && !killed && !run.cancelled() && oomKillsBefore.isPresent()
                        && run.oom().kills().orElse(0) > oomKillsBefore.getAsLong()) {
                    memory = Optional.of(new Interruption.OutOfMemory(running == null ? "" : running.nodeId));
                }
            }
            return memory;
        }).subscribeOn(Schedulers.boundedElastic())).doFinally(signal -> {
            synchronized (this) {
                stop();
            }
            run.ended(this);
        });
    }
}
