package io.bktec.process;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;

/**
 * What bktec does when the job is cancelled: the first SIGTERM/SIGINT/SIGHUP is forwarded to every test process
 * (the registry kills survivors after the grace period), a second one kills everything and exits at once, and
 * {@link #forcedExit()} stops waiting for the run when it cannot finish by itself in time.
 */
public final class Cancellation {
    /** Where the cancel's own lines go: a warning when it starts, an error when bktec gives up waiting. */
    public interface Notices {
        void warning(String line);

        void error(String line);

        /** Pushes out what was printed, before an immediate exit. */
        void flush();
    }

    /** After the grace period's SIGKILL, how long processes get to be reaped before bktec stops waiting. */
    private static final Duration REAP_ALLOWANCE = Duration.ofMillis(800);
    /** With no test process running, how long a cancelled run may take to wind down by itself. */
    private static final Duration IDLE_CANCEL_WAIT = Duration.ofMillis(300);

    private final ProcessRegistry registry;
    private final Duration gracePeriod;
    private final Notices console;
    private final Runnable beforeForwarding;
    private final Runnable beforeForcedExit;
    private final Sinks.One<Integer> cancelled = Sinks.one();

    /**
     * @param beforeForwarding what must happen before the signal reaches the tests (their stacks are taken), blocking
     *                         for a bounded time
     * @param beforeForcedExit last tidying (removing temporary files) when bktec stops waiting for the run
     */
    public Cancellation(ProcessRegistry registry, Duration gracePeriod, Notices console, Runnable beforeForwarding,
                        Runnable beforeForcedExit) {
        this.registry = registry;
        this.gracePeriod = gracePeriod;
        this.console = console;
        this.beforeForwarding = beforeForwarding;
        this.beforeForcedExit = beforeForcedExit;
    }

    public void install() {
        SignalTrap.install(signal -> {
            if (registry.cancelled()) {
                int first = registry.cancelSignal().orElse(signal);
                registry.killAll();
                console.error("received " + Signals.name(signal) + " again: killed the test processes, exiting now");
                console.flush();
                FastExit.exit(128 + first);
            }
            console.warning("received " + Signals.name(signal) + ": stopping test processes (they get "
                    + gracePeriod.toMillis() + " ms before SIGKILL)");
            beforeForwarding.run();
            registry.cancel(signal);
            cancelled.tryEmitValue(signal);
        });
    }

    /**
     * Emits 128+N once the run should have ended after a cancel: at once when no test process is running (no
     * summary is coming: discovery or an API call was under way), else after the grace period's SIGKILL had time.
     * Never emits without a cancel.
     */
    public Mono<Integer> forcedExit() {
        return cancelled.asMono().flatMap(signal -> {
            boolean idle = registry.running() == 0;
            Duration wait = idle ? IDLE_CANCEL_WAIT : gracePeriod.plus(REAP_ALLOWANCE);
            return Mono.delay(wait).publishOn(Schedulers.boundedElastic()).map(tick -> {
                registry.killAll();
                beforeForcedExit.run();
                console.error(idle && registry.running() == 0
                        ? "cancelled by " + Signals.name(signal) + " before tests finished starting"
                        : "test processes did not finish after " + Signals.name(signal) + "; killed them");
                return 128 + signal;
            });
        });
    }
}
