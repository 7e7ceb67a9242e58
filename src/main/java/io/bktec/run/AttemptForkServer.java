package io.bktec.run;

import io.bktec.process.OutputSink;
import io.bktec.process.ProcessLauncher;
import io.bktec.runner.CommandTemplate;
import io.bktec.stream.PlannedCollection;
import io.bktec.stream.ResultsStream;
import io.bktec.worker.ForkServer;
import io.bktec.worker.PytestWorker;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An attempt's fork server, as the attempt uses it: its files and command (the attempt's directory and a list of all
 * its files), and, once it is ready, how each worker is forked from it ({@link Forked}). Every worker's command names
 * the same directory as the server's, so that it is the server's but for the worker's own result file and list.
 */
final class AttemptForkServer {
    private final ForkServer server;
    private final Batch batch;
    private final String directory;
    private final BatchFiles files;

    private AttemptForkServer(ForkServer server, Batch batch, String directory, BatchFiles files) {
        this.server = server;
        this.batch = batch;
        this.directory = directory;
        this.files = files;
    }

    /**
     * The attempt's fork server, when it has at least two workers, fork servers are on, their files can go to pytest
     * as a list file and a socket path fits; else each worker starts pytest itself.
     */
    static Optional<AttemptForkServer> of(int attempt, List<String> testFiles, int workers, CommandTemplate template,
                                          RunOptions options, ProcessLauncher processes, ResultFiles resultFiles,
                                          ResultsStream streams, BatchFiles files, RunListener listener,
                                          Function<Batch, OutputSink> outputs) {
        Optional<Path> client = streams.forkClient();
        Path socket = resultFiles.forkServerSocket(attempt);
        if (!options.forkServer() || workers < 2 || client.isEmpty() || !files.planning()
                || !PlannedCollection.possible(testFiles) || !ForkServer.socketFits(socket)) {
            return Optional.empty();
        }
        Batch batch = resultFiles.forkServer(attempt, testFiles);
        String directory = PlannedCollection.commonDirectory(testFiles);
        ForkServer server = new ForkServer(processes, () -> {
            List<String> argv = files.prepareForked(batch, template, directory);
            listener.forkServerStarting(batch, argv);
            return argv;
        }, streams.environment(batch.streamFile()).orElseThrow(), outputs.apply(batch), streams, batch.streamFile(),
                socket, client.get(), PytestWorker.POLL_PERIOD);
        return Optional.of(new AttemptForkServer(server, batch, directory, files));
    }

    /** Runs {@code work} with the server once it is ready (empty if it never is), then stops it. */
    <T> Mono<T> around(Function<Optional<Forked>, Mono<T>> work) {
        return server.around(ready -> work.apply(ready.map(Forked::new)));
    }

    /** The ready server: how a worker is forked from it. */
    final class Forked {
        private final ForkServer.Ready ready;

        private Forked(ForkServer.Ready ready) {
            this.ready = ready;
        }

        /** The server's result file and planned list, and this worker's in their place. */
        List<ForkServer.Substitution> substitutions(Batch worker) {
            return List.of(new ForkServer.Substitution(batch.resultFile().toString(), worker.resultFile().toString()),
                    new ForkServer.Substitution(ResultFiles.plannedListFor(batch).toString(),
                            ResultFiles.plannedListFor(worker).toString()));
        }

        /** The variables the worker's fork client needs. */
        Map<String, String> clientEnvironment(List<ForkServer.Substitution> substitutions) {
            return server.clientEnvironment(substitutions);
        }

        /** The worker's own command, naming the server's directory (blocking: writes its list file). */
        List<String> command(Batch worker, CommandTemplate template) throws IOException {
            return files.prepareForked(worker, template, directory);
        }

        /** What to start for the worker: its command in the fork client, or the command itself if it is not the server's. */
        List<String> launched(List<String> command, List<ForkServer.Substitution> substitutions) {
            return ready.attach(command, substitutions).orElse(command);
        }
    }
}
