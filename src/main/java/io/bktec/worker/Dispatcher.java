package io.bktec.worker;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Feeds a node's work to its workers: the JVM is the only scheduler. Every worker's events go into one serialized
 * flux; each event is shown to the {@link WorkQueue}, whose decisions (start a worker, send it an item, stop it) are
 * carried out at once, without blocking: a command is a non-blocking write to the worker's standard input. The run
 * ends when every worker started has ended; cancelling it kills the workers.
 */
public final class Dispatcher {
    private final WorkerLauncher launcher;
    private final Consumer<String> decisions;

    /** @param decisions one line per decision, for --debug */
    public Dispatcher(WorkerLauncher launcher, Consumer<String> decisions) {
        this.launcher = launcher;
        this.decisions = decisions;
    }

    /** Runs the queue's work; emits what it came to when every worker has ended. */
    public Mono<Dispatched> run(WorkQueue queue) {
        return Mono.defer(() -> {
            List<PytestWorker.Finished> finished = new ArrayList<>(); // touched only by the serialized signals
            Sinks.Many<Signal> signals = Sinks.many().unicast().onBackpressureBuffer();
            Map<Integer, WorkerHandle> handles = new HashMap<>();
            Disposable.Composite running = Disposables.composite();
            Object lock = new Object();
            Consumer<List<WorkQueue.Action>> apply = new Consumer<>() {
                @Override
                public void accept(List<WorkQueue.Action> actions) {
                    for (WorkQueue.Action action : actions) {
                        if (action instanceof WorkQueue.Start start) {
                            decisions.accept("starting w" + start.worker() + (start.replacing() > 0
                                    ? " in place of w" + start.replacing() : "") + ", collecting "
                                    + start.collecting().size() + " item" + (start.collecting().size() == 1 ? "" : "s"));
                            WorkerHandle handle = launcher.start(start.worker(), start.collecting(), start.replacing());
                            handles.put(start.worker(), handle);
                            running.add(handle.events().subscribe(
                                    event -> emit(signals, lock, new Signal(start.worker(), event)),
                                    error -> emit(signals, lock, new Signal(start.worker(), new WorkerEvent.Exited(
                                            WorkerEnding.DIED, java.util.Set.of(), List.of())))));
                        } else if (action instanceof WorkQueue.Send send) {
                            decisions.accept("w" + send.worker() + " ← " + describe(send.item()));
                            handles.get(send.worker()).send(WorkerCommand.run(send.command(), send.item()));
                        } else if (action instanceof WorkQueue.Stop stop) {
                            decisions.accept("w" + stop.worker() + ": stop");
                            handles.get(stop.worker()).send(WorkerCommand.stop());
                        }
                    }
                }
            };
            apply.accept(queue.begin());
            if (queue.finished()) {
                return Mono.just(Dispatched.of(queue, finished));
            }
            return signals.asFlux()
                    .doOnNext(signal -> {
                        if (signal.event() instanceof WorkerEvent.Exited exited) {
                            exited.finished().ifPresent(finished::add);
                        }
                        apply.accept(react(queue, signal));
                    })
                    .takeUntil(signal -> queue.finished())
                    .then(Mono.fromSupplier(() -> Dispatched.of(queue, finished)))
                    .doOnCancel(running::dispose);
        });
    }

    private List<WorkQueue.Action> react(WorkQueue queue, Signal signal) {
        WorkerEvent event = signal.event();
        int worker = signal.worker();
        if (event instanceof WorkerEvent.SessionStarted) {
            return queue.sessionStarted(worker);
        }
        if (event instanceof WorkerEvent.Ready) {
            return queue.ready(worker);
        }
        if (event instanceof WorkerEvent.Done) {
            return queue.done(worker);
        }
        WorkerEvent.Exited exited = (WorkerEvent.Exited) event;
        decisions.accept("w" + worker + " ended: " + exited.ending().name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' '));
        return queue.exited(worker, exited.ending(), exited.started(), exited.collected());
    }

    private static String describe(WorkItem item) {
        String what = item.wholeFile() ? item.file() : item.file() + " (" + item.ids().size() + " test"
                + (item.ids().size() == 1 ? "" : "s") + ")";
        return what + ", weight " + Math.round(item.weight() * 10) / 10.0;
    }

    private static void emit(Sinks.Many<Signal> signals, Object lock, Signal signal) {
        synchronized (lock) {
            signals.tryEmitNext(signal);
        }
    }

    private record Signal(int worker, WorkerEvent event) {
    }
}
