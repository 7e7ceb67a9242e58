package io.bktec.worker;

import io.bktec.stream.StreamEvent;

/** Hears one worker: each event of its results stream as it is read, and how it ended. */
public interface WorkerListener {
    /** An event of its stream (for progress). */
    void event(StreamEvent event);

    /** How it ended, with its results; off the event loop, before its {@link WorkerEvent.Exited}. */
    void finished(PytestWorker.Finished finished);
}
