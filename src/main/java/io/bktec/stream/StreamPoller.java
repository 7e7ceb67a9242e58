package io.bktec.stream;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;

/**
 * Reads every followed stream file on one periodic task, and turns only new lines into events. An empty poll is one
 * read call, not a pass through a chain of operators: a worker's stream is read every few milliseconds for a whole
 * run, and that must cost next to nothing. Passes are scheduled only while some stream is followed.
 */
final class StreamPoller {
    private final Scheduler scheduler;
    private final Duration period;
    private final List<Followed> followed = new CopyOnWriteArrayList<>();
    private boolean pollPending;

    /** @param scheduler where files are read: its threads may block (a virtual-time one in tests) */
    StreamPoller(Scheduler scheduler, Duration period) {
        this.scheduler = scheduler;
        this.period = period;
    }

    private static final class Followed {
        final StreamTail tail;
        final FluxSink<StreamEvent> sink;
        volatile boolean ended;

        Followed(StreamTail tail, FluxSink<StreamEvent> sink) {
            this.tail = tail;
            this.sink = sink;
        }
    }

    /** The file's events as they are written; after {@code ended} signals, one last read, then completion. */
    Flux<StreamEvent> follow(Path file, Mono<?> ended) {
        return Flux.create(sink -> {
            Followed f = new Followed(new StreamTail(file), sink);
            add(f);
            // When the process ends, its last lines are read at once rather than at the next tick.
            Runnable last = () -> {
                f.ended = true;
                scheduler.schedule(this::poll);
            };
            Disposable.Swap end = Disposables.swap();
            sink.onDispose(() -> {
                end.dispose();
                remove(f);
                f.tail.close();
            });
            end.update(ended.subscribe(v -> last.run(), e -> last.run(), last));
        });
    }

    private synchronized void add(Followed f) {
        followed.add(f);
        pollLater();
    }

    private synchronized void remove(Followed f) {
        followed.remove(f);
    }

    /**
     * The next pass, one period from now, while some file is followed. Each pass schedules the next rather than one
     * periodic task being disposed and made anew: a periodic task of the bounded-elastic scheduler disposed from one
     * of its own passes, and another scheduled at once, was seen never to run (a worker's stream went unread).
     */
    private void pollLater() {
        if (!pollPending && !followed.isEmpty()) {
            pollPending = true;
            scheduler.schedule(this::pollAndContinue, period.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void pollAndContinue() {
        pollPending = false;
        poll();
        pollLater();
    }

    /** One pass over every followed file; runs on the scheduler, one pass at a time. */
    private synchronized void poll() {
        for (Followed f : followed) {
            boolean endedBefore = f.ended; // read before the last read, so nothing written before the end is missed
            for (String line : lines(f)) {
                StreamEventParser.parse(line).ifPresent(f.sink::next);
            }
            if (endedBefore) {
                f.sink.complete();
            }
        }
    }

    /** A file that cannot be read makes the stream incomplete, which is what a plugin fault means too. */
    private static List<String> lines(Followed f) {
        try {
            return f.tail.readNewLines();
        } catch (java.io.IOException e) {
            f.sink.next(new StreamEvent.PluginError("could not read the results stream: " + e.getMessage()));
            return List.of();
        }
    }
}
