package io.bktec.run;

import io.bktec.outcome.Batch;
import io.bktec.runner.CommandTemplate;
import io.bktec.stream.PlannedCollection;
import io.bktec.worker.ForkServer;
import io.bktec.worker.WorkerLaunch;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An attempt's fork server, as the attempt uses it: when it has one, its command (the attempt's directory and a list
 * of all its files), and, once it is ready, how each worker is forked from it ({@link Forking}). Every worker's
 * command names the same directory as the server's, so that it is the server's but for the worker's own result file
 * and list.
 */
final class AttemptForkServer {
    private final RunContext context;
    private final BatchFiles files;
    private final CommandTemplate template;
    private final Batch server;
    private final String directory;

    private AttemptForkServer(RunContext context, BatchFiles files, CommandTemplate template, Batch server) {
        this.context = context;
        this.files = files;
        this.template = template;
        this.server = server;
        this.directory = PlannedCollection.commonDirectory(server.tests());
    }

    /**
     * Runs {@code work} with how this attempt's workers start, chosen once: forked from a fork server when the attempt
     * has at least two workers, fork servers are on, its files can go to pytest as a list file, a socket path fits and
     * the server says it is ready; else each worker starts pytest itself. The server is stopped after the work.
     */
    static <T> Mono<T> around(RunContext context, BatchFiles files, PluginCapability plugin, WorkerAttempt.Work attempt,
                              Function<WorkerStart, Mono<T>> work) {
        WorkerStart direct = new WorkerStart.Direct(files, attempt.template(), context.streams());
        Path socket = context.resultFiles().forkServerSocket(attempt.number());
        List<String> testFiles = attempt.files();
        if (!context.options().forkServer() || attempt.workers() < 2 || context.streams().forkClient().isEmpty()
                || !plugin.planning() || !PlannedCollection.possible(testFiles) || !ForkServer.socketFits(socket)) {
            return work.apply(direct);
        }
        Batch batch = context.resultFiles().forkServer(attempt.number(), testFiles);
        AttemptForkServer server = new AttemptForkServer(context, files, attempt.template(), batch);
        return server.process(socket, attempt.serverIdentity())
                .around(served -> work.apply(server.start(served, direct)));
    }

    /** Workers are forked from a ready server; otherwise each starts pytest itself, and the user is told why. */
    private WorkerStart start(ForkServer.Served served, WorkerStart direct) {
        if (served instanceof ForkServer.Ready ready) {
            return new Forking(ready);
        }
        context.listener().notice("the fork server is not serving (" + ((ForkServer.NotServing) served).reason()
                + "), so each worker starts pytest itself");
        return direct;
    }

    /**
     * @param identity the identity start-up sees in the server (a worker's, for plugins that only ask whether xdist
     *                 runs; the server refuses to serve when the suite's own start-up reads it)
     */
    private ForkServer process(Path socket, Map<String, String> identity) {
        return new ForkServer(context.processes(), context.streams(), () -> {
            List<String> argv = files.prepareForked(server, template, directory);
            context.listener().forkServerStarting(server, argv);
            return new WorkerLaunch(argv, identity);
        }, context.outputs().apply(server), server.streamFile(), socket);
    }

    /** Workers forked from the ready server: each worker's command runs in the fork client, when it is the server's. */
    final class Forking implements WorkerStart {
        private final ForkServer.Ready ready;

        private Forking(ForkServer.Ready ready) {
            this.ready = ready;
        }

        @Override
        public Started start(Batch worker) throws IOException {
            List<ForkServer.Substitution> substitutions = substitutions(worker);
            List<String> command = files.prepareForked(worker, template, directory);
            Map<String, String> environment = new HashMap<>(context.streams().environment(worker.streamFile())
                    .orElseThrow());
            environment.putAll(ready.clientEnvironment(substitutions));
            // a command that is not the server's but for the substituted paths starts on its own
            return new Started(command, new WorkerLaunch(ready.attach(command, substitutions).orElse(command),
                    environment));
        }

        /** The server's result file and planned list, and this worker's in their place. */
        List<ForkServer.Substitution> substitutions(Batch worker) {
            return List.of(new ForkServer.Substitution(server.resultFile().toString(), worker.resultFile().toString()),
                    new ForkServer.Substitution(ResultFiles.plannedListFor(server).toString(),
                            ResultFiles.plannedListFor(worker).toString()));
        }
    }
}
