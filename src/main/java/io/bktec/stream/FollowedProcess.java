package io.bktec.stream;

import io.bktec.process.ChildExit;

/**
 * What following a test process together with its results stream gives ({@link ResultsStream#followProcess}): every
 * event of the stream as it is read, what bktec decided about a running test (or saw happen to it), then, last,
 * how the process ended.
 */
public sealed interface FollowedProcess {
    /** A line of the stream. */
    record Event(StreamEvent event) implements FollowedProcess {
    }

    /**
     * bktec stopped a running test (its timeout, the job's cancel) or saw it killed for want of memory: after the
     * last event, just before the end.
     */
    record Interrupted(io.bktec.watch.Interruption interruption) implements FollowedProcess {
    }

    /** The process has ended and its stream has been read to the end: the last item. */
    record Ended(ChildExit exit) implements FollowedProcess {
    }
}
