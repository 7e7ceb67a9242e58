package io.bktec.run;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;

import java.util.List;

/** Hears what the pipeline does, so the report package can print it without the pipeline knowing how. */
public interface RunListener {
    /**
     * @param testCount plan paths on the first attempt; on a retry, the tests run again
     * @param notRun    of those, tests a crash kept from running last time (the rest failed)
     */
    void attemptStarting(int attempt, int retryCount, int testCount, int notRun, int batchCount);

    /** As {@link #attemptStarting}, for an attempt run by persistent workers rather than batches. */
    default void attemptStartingWithWorkers(int attempt, int retryCount, int testCount, int notRun, int workers) {
        attemptStarting(attempt, retryCount, testCount, notRun, workers);
    }

    void batchStarting(Batch batch, List<String> argv);

    /** An attempt's fork server is starting: pytest starts up once, and its workers are forked from it. */
    default void forkServerStarting(Batch server, List<String> argv) {
    }

    void batchFinished(BatchOutcome outcome);

    void attemptFinished(AttemptOutcome outcome, boolean failed);

    /** A results stream moved on (a test finished, tests were collected); called often, from any thread. */
    default void progress(AttemptProgress progress) {
    }

    /** A decision of the workers' dispatcher (which worker got which file, which died), for --debug. */
    default void dispatch(String decision) {
    }

    /**
     * Something the user should know about how the run goes on: bktec's plugin could not load (a batch runs again), a
     * test runs alone after an OOM kill, an attempt failed too widely to be retried.
     */
    default void notice(String text) {
    }
}
