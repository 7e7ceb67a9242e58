package io.bktec.run;

import io.bktec.outcome.Batch;
import io.bktec.runner.CommandTemplate;
import io.bktec.stream.ResultsStream;
import io.bktec.worker.WorkerLaunch;

import java.io.IOException;
import java.util.List;

/**
 * How an attempt's workers start, chosen once per attempt ({@link AttemptForkServer#around}): each runs its own
 * command ({@link Direct}), or is forked from the attempt's fork server ({@link AttemptForkServer.Forking}).
 */
sealed interface WorkerStart permits WorkerStart.Direct, AttemptForkServer.Forking {
    /**
     * A worker's start: its command as the user's template makes it (what the log shows), and what starts it.
     * Blocking: makes the worker's files fresh.
     */
    Started start(Batch worker) throws IOException;

    /** @param command the user's command for the worker, as logged whatever starts it */
    record Started(List<String> command, WorkerLaunch launch) {
    }

    /** Each worker starts pytest itself. */
    record Direct(BatchFiles files, CommandTemplate template, ResultsStream streams) implements WorkerStart {
        @Override
        public Started start(Batch worker) throws IOException {
            List<String> command = files.prepare(worker, template);
            return new Started(command, new WorkerLaunch(command,
                    streams.environment(worker.streamFile()).orElseThrow()));
        }
    }
}
