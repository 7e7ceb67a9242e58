package io.bktec.run;

import io.bktec.stream.TestStream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** How far an attempt has got, summed over the results streams of its processes; read from any thread. */
public final class AttemptProgress {
    private final int attempt;
    private final long startedNanos;
    private final boolean workers;
    private final List<TestStream> streams = new CopyOnWriteArrayList<>();

    AttemptProgress(int attempt, long startedNanos) {
        this(attempt, startedNanos, false);
    }

    /** @param workers every process collects the whole node's tests (workers), rather than its own share */
    AttemptProgress(int attempt, long startedNanos, boolean workers) {
        this.attempt = attempt;
        this.startedNanos = startedNanos;
        this.workers = workers;
    }

    void add(TestStream stream) {
        streams.add(stream);
    }

    public int attempt() {
        return attempt;
    }

    /** {@link System#nanoTime()} when the attempt started. */
    public long startedNanos() {
        return startedNanos;
    }

    public int finished() {
        return streams.stream().mapToInt(TestStream::finishedCount).sum();
    }

    public int failed() {
        return streams.stream().mapToInt(TestStream::failedCount).sum();
    }

    /** Tests collected by the processes that have got that far (workers each collect the whole node). */
    public int collected() {
        return workers ? streams.stream().mapToInt(TestStream::collectedCount).max().orElse(0)
                : streams.stream().mapToInt(TestStream::collectedCount).sum();
    }
}
