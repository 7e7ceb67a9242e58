package io.bktec.process;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process groups of every test process bktec has running, so a cancel reaches all of them. After a cancel no
 * new process starts, the signal is forwarded to each group at once, and whatever is still alive after the grace
 * period is killed.
 */
public final class ProcessRegistry {
    /** Process group id to the signals bktec has sent it (bit per signal), to tell our kills from the child's exit codes. */
    private final Map<Integer, Long> groups = new ConcurrentHashMap<>();
    private final Duration gracePeriod;
    private final Scheduler timer;
    private final GroupSignaller signaller;
    private volatile int cancelSignal;

    /** Sends a signal to a process group; replaceable so tests need not kill anything. */
    @FunctionalInterface
    public interface GroupSignaller {
        boolean signal(int pgid, int signal);
    }

    public ProcessRegistry(Duration gracePeriod, Scheduler timer, GroupSignaller signaller) {
        this.gracePeriod = gracePeriod;
        this.timer = timer;
        this.signaller = signaller;
    }

    /** Registers a started group; false (and the caller must kill it) if a cancel came first. */
    public synchronized boolean register(int pgid) {
        if (cancelSignal != 0) {
            signaller.signal(pgid, Signals.SIGKILL);
            return false;
        }
        groups.put(pgid, 0L);
        return true;
    }

    public void unregister(int pgid) {
        groups.remove(pgid);
    }

    /** Whether bktec itself sent {@code signal} to this group. */
    public boolean sent(int pgid, int signal) {
        Long mask = groups.get(pgid);
        return mask != null && (mask & (1L << signal)) != 0;
    }

    public OptionalInt cancelSignal() {
        int s = cancelSignal;
        return s == 0 ? OptionalInt.empty() : OptionalInt.of(s);
    }

    public boolean cancelled() {
        return cancelSignal != 0;
    }

    public int running() {
        return groups.size();
    }

    /**
     * Cancels the run: forwards {@code signal} to every group now and SIGKILLs survivors after the grace period.
     * Only the first cancel counts; a second signal is forwarded too but does not restart the grace period.
     */
    public void cancel(int signal) {
        boolean first;
        synchronized (this) {
            first = cancelSignal == 0;
            if (first) {
                cancelSignal = signal;
            }
        }
        signalAll(signal);
        if (first) {
            killAfterGracePeriod().subscribe();
        }
    }

    /** After the grace period, SIGKILL whatever is still running. */
    Mono<Void> killAfterGracePeriod() {
        return Mono.delay(gracePeriod, timer).doOnNext(tick -> signalAll(Signals.SIGKILL)).then();
    }

    /** Kills every group at once, for when bktec must stop immediately. */
    public void killAll() {
        signalAll(Signals.SIGKILL);
    }

    private void signalAll(int signal) {
        for (Integer pgid : groups.keySet()) {
            groups.computeIfPresent(pgid, (k, mask) -> mask | (1L << signal));
            signaller.signal(pgid, signal);
        }
    }

    /**
     * Kills what is left of a group whose leader has exited (background processes a test started). Not recorded as a
     * signal bktec sent, because it says nothing about how the test command itself ended.
     */
    public void killLeftovers(int pgid) {
        signaller.signal(pgid, Signals.SIGKILL);
    }

    /** Kills one group: used when a single child must go (its subscriber cancelled). */
    public void kill(int pgid, int signal) {
        groups.computeIfPresent(pgid, (k, mask) -> mask | (1L << signal));
        signaller.signal(pgid, signal);
    }
}
