package io.bktec.run;

import io.bktec.stream.TestStream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** How far an attempt has got, summed over the results streams of its processes; read from any thread. */
public final class AttemptProgress {
    private final int attempt;
    private final long startedNanos;
    private final List<TestStream> streams = new CopyOnWriteArrayList<>();

    AttemptProgress(int attempt, long startedNanos) {
        this.attempt = attempt;
        this.startedNanos = startedNanos;
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

    /** Tests collected so far by the processes (a worker collects each file when it is first given it). */
    public int collected() {
        return streams.stream().mapToInt(TestStream::collectedCount).sum();
    }
}
