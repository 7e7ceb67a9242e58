package io.bktec.run;

import java.util.List;

/** Hears what the pipeline does, so the report package can print it without the pipeline knowing how. */
public interface RunListener {
    void attemptStarting(int attempt, int retryCount, int testCount, int batchCount);

    void batchStarting(Batch batch, List<String> argv);

    void batchFinished(BatchOutcome outcome);

    void attemptFinished(AttemptOutcome outcome, boolean failed);
}
