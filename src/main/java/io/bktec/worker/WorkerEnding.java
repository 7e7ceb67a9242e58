package io.bktec.worker;

import io.bktec.outcome.ProcessEnding;
import io.bktec.watch.Interruption;

/** How a worker ended, as its work queue takes it. */
public enum WorkerEnding {
    /** Its session ended after it was told to stop. */
    STOPPED,
    /** Its session ended before it was told to stop (pytest's -x or --maxfail, pytest.exit, a collection error). */
    ENDED_BY_ITSELF,
    /** It died mid-session (a crash, a kill). */
    DIED,
    /**
     * It was stopped in the middle of a test that ran past its timeout, or killed by the kernel for want of
     * memory while running one: replaced like a worker that stopped early, without spending the replacement
     * budget (each such worker ran a test, so this ends).
     */
    STOPPED_RUNNING_A_TEST,
    /** The job was cancelled while it ran: no worker replaces it, and the others are told to stop. */
    CANCELLED,
    /** Its results stream never began: pytest did not load bktec's plugin, so it was no worker. */
    NO_STREAM;

    /**
     * A worker's ending for the queue, from how its process ended.
     *
     * @param signalled the process was killed by a signal (after its session ended, too: nobody stopped it)
     * @param stopSent  the worker had been told to stop
     */
    public static WorkerEnding of(ProcessEnding ending, boolean signalled, boolean stopSent) {
        if (ending instanceof ProcessEnding.Interrupted interrupted) {
            return interrupted.interruption() instanceof Interruption.Cancelled ? CANCELLED
                    : STOPPED_RUNNING_A_TEST;
        }
        if (ending instanceof ProcessEnding.Died || signalled) {
            return DIED;
        }
        return stopSent ? STOPPED : ENDED_BY_ITSELF;
    }
}
