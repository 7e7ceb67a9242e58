package io.bktec.run;

import io.bktec.outcome.Batch;
import io.bktec.process.OutputSink;
import io.bktec.process.ProcessLauncher;
import io.bktec.process.ProcessRegistry;
import io.bktec.runner.Runner;
import io.bktec.stream.ResultsStream;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * What one node's run works with, handed down as one: {@link RunPipeline} → {@link WorkerAttempt} → the attempt's
 * fork server ({@link AttemptForkServer}).
 *
 * @param processes        starts the test processes
 * @param registry         the processes started, and whether the run was cancelled
 * @param resultFiles      names each batch's and worker's files
 * @param listener         hears what the run does (the console, the summary)
 * @param outputs          where each batch's or worker's output goes
 * @param workingDirectory where the test processes run
 * @param streams          bktec's pytest plugin: on or off, and following its streams
 */
public record RunContext(Runner runner, RunOptions options, ProcessLauncher processes, ProcessRegistry registry,
                         ResultFiles resultFiles, RunListener listener, Function<Batch, OutputSink> outputs,
                         Path workingDirectory, ResultsStream streams) {
}
