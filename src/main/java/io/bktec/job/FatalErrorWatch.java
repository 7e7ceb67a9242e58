package io.bktec.job;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends a run whose chain can no longer end by itself. An error that escapes a scheduled task (Reactor rethrows a
 * {@code LinkageError} or {@code VirtualMachineError} where it happened instead of signalling it down the chain, and
 * a bug in a subscriber escapes the same way) kills only that task, so the run would wait forever, its test processes
 * with it: seen when a runtime lacked a module bktec needs. Here such an error fails every run in progress, whose
 * cancellation then stops its test processes as any cancel does.
 */
final class FatalErrorWatch {
    private static final Set<Sinks.Empty<Void>> RUNS = ConcurrentHashMap.newKeySet();

    static {
        Schedulers.onHandleError(FatalErrorWatch.class.getName(),
                (thread, error) -> RUNS.forEach(run -> run.tryEmitError(error)));
    }

    private FatalErrorWatch() {
    }

    /**
     * Never a value: an error if a task fails that way while this is subscribed. Subscribe to it before the run, as
     * an error from before is not seen.
     */
    static <T> Mono<T> escapedErrors() {
        return Mono.defer(() -> {
            Sinks.Empty<Void> run = Sinks.empty();
            RUNS.add(run);
            return run.asMono().then(Mono.<T>never()).doFinally(signal -> RUNS.remove(run));
        });
    }
}
