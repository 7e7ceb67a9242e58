package io.bktec.run;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;
import io.bktec.process.OutputSink;

import java.nio.ByteBuffer;
import java.util.List;

/** An output sink and a run listener that discard everything, for pipeline tests that only look at the outcome. */
final class Quiet {
    private Quiet() {
    }

    static final OutputSink OUTPUT = new OutputSink() {
        @Override
        public void stdout(ByteBuffer bytes) {
            bytes.position(bytes.limit());
        }

        @Override
        public void stderr(ByteBuffer bytes) {
            bytes.position(bytes.limit());
        }

        @Override
        public void end() {
        }
    };

    static final RunListener LISTENER = new RunListener() {
        @Override
        public void attemptStarting(int attempt, int retryCount, int testCount, int notRun, int batchCount) {
        }

        @Override
        public void batchStarting(Batch batch, List<String> argv) {
        }

        @Override
        public void batchFinished(BatchOutcome outcome) {
        }

        @Override
        public void attemptFinished(AttemptOutcome outcome, boolean failed) {
        }
    };
}
