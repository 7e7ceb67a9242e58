package io.bktec.worker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.bktec.process.OutputSink;
import io.bktec.process.ProcessInput;
import io.bktec.process.ProcessLauncher;
import io.bktec.stream.FollowedProcess;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.StreamEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * One pytest that starts up (plugins, conftest files, configure) once for all of an attempt's workers, which are then
 * forked from it instead of each starting pytest itself: N workers cost one start-up, not N. The server is bktec's
 * plugin in fork-server mode (src/main/python/bktec_pytest/fork_server.py; the protocol is in its protocol.py); each
 * worker is started as {@code python -S .../fork_client.py <its own command>}, which asks the server for a fork that
 * takes over its standard streams, and stands in for it (exit status, signals), so that the dispatcher and the
 * process machinery see a worker as they see one started directly. A worker whose request fails runs its own command, as without a server.
 * <p>
 * A forked worker is started with the server's command line, so it may differ from its own only in the paths that
 * the server substitutes: its result file and its planned list. {@link Ready#attach} checks that before using the
 * server, so a test command that uses them in other ways (or a worker given other arguments) starts on its own.
 */
public final class ForkServer {
    /** Tells bktec's plugin to serve forks on this socket instead of starting its session. */
    public static final String SERVER_VARIABLE = "BKTEC_FORK_SERVER";
    /** Tells the fork client which server to ask. */
    public static final String CONNECT_VARIABLE = "BKTEC_FORK_FROM";
    /** The server's paths and the worker's, as JSON pairs, for the fork client to pass on. */
    public static final String SUBSTITUTIONS_VARIABLE = "BKTEC_FORK_SUBSTITUTIONS";
    /** A Unix socket's path must fit in 108 bytes with its NUL; a longer one means no server. */
    public static final int MAX_SOCKET_PATH_BYTES = 100;
    /** After its stop, how long the server gets to end by itself before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final JsonFactory JSON = new JsonFactory();

    /** A path of the server's command line and the worker's path that stands in its place. */
    public record Substitution(String server, String worker) {
    }

    /** What became of a server: ready to fork workers, or not serving (and why). */
    public sealed interface Served permits Ready, NotServing {
    }

    /** The server cannot serve: it said why, ended, or named a Python that is not on this machine. */
    public record NotServing(String reason) implements Served {
    }

    /**
     * A server that has started: how a worker's command becomes a request to it.
     *
     * @param serverArgv the server's command, which a forked worker's must equal but for the substitutions
     * @param executable the server's Python, which runs the fork client
     * @param client     the plugin's fork client
     */
    public record Ready(List<String> serverArgv, String executable, Path socket, Path client) implements Served {
        public Ready {
            serverArgv = List.copyOf(serverArgv);
        }

        /** The command that forks this worker from the server; empty when its command is not the server's. */
        public Optional<List<String>> attach(List<String> workerArgv, List<Substitution> substitutions) {
            if (!substituted(serverArgv, substitutions).equals(workerArgv)) {
                return Optional.empty();
            }
            List<String> argv = new ArrayList<>(workerArgv.size() + 3);
            argv.add(executable);
            argv.add("-S"); // the client needs no site-packages: it starts in milliseconds
            argv.add(client.toString());
            argv.addAll(workerArgv);
            return Optional.of(argv);
        }

        /** The variables a worker's fork client needs: which server, and the paths it substitutes. */
        public Map<String, String> clientEnvironment(List<Substitution> substitutions) {
            StringWriter text = new StringWriter();
            try (JsonGenerator json = JSON.createGenerator(text)) {
                json.writeStartArray();
                for (Substitution substitution : substitutions) {
                    json.writeStartArray();
                    json.writeString(substitution.server());
                    json.writeString(substitution.worker());
                    json.writeEndArray();
                }
                json.writeEndArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(CONNECT_VARIABLE, socket.toString(), SUBSTITUTIONS_VARIABLE, text.toString());
        }
    }

    private final ProcessLauncher processes;
    private final ResultsStream streams;
    private final Callable<WorkerLaunch> launch;
    private final Map<String, String> environment;
    private final OutputSink output;
    private final Path streamFile;
    private final Path socket;

    /**
     * @param streams    whose plugin the server loads (on), with its fork client
     * @param launch     prepares the server's files and gives its command, and variables of its own beyond the
     *                   plugin's (blocking: run off the event loop)
     * @param streamFile the server's results stream, where it says whether it is ready
     * @param socket     where it listens ({@link #socketFits})
     */
    public ForkServer(ProcessLauncher processes, ResultsStream streams, Callable<WorkerLaunch> launch, OutputSink output,
                      Path streamFile, Path socket) {
        this.processes = processes;
        this.streams = streams;
        this.launch = launch;
        Map<String, String> env = new HashMap<>(streams.environment(streamFile).orElseThrow());
        env.put(PytestWorker.WORKER_VARIABLE, "1");
        env.put(SERVER_VARIABLE, socket.toString());
        this.environment = Map.copyOf(env);
        this.output = output;
        this.streamFile = streamFile;
        this.socket = socket;
    }

    /** Whether a server can listen on this path. */
    public static boolean socketFits(Path socket) {
        return socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES;
    }

    private static boolean runsHere(String executable) {
        try {
            return !executable.isEmpty() && Files.isExecutable(Path.of(executable));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** Each word of {@code argv} with every server path replaced by the worker's. Pure. */
    public static List<String> substituted(List<String> argv, List<Substitution> substitutions) {
        List<String> words = new ArrayList<>(argv.size());
        for (String word : argv) {
            for (Substitution substitution : substitutions) {
                word = word.replace(substitution.server(), substitution.worker());
            }
            words.add(word);
        }
        return words;
    }

    /**
     * Starts the server, runs {@code work} once it is ready (or, should it end or say it cannot serve, with why not),
     * then stops it. Cancelling kills it, as any process bktec starts.
     */
    public <T> Mono<T> around(Function<Served, Mono<T>> work) {
        return Mono.fromCallable(launch).subscribeOn(Schedulers.boundedElastic()).flatMap(started -> {
            List<String> command = started.argv();
            ProcessInput input = new ProcessInput();
            Sinks.One<Served> readiness = Sinks.one();
            Sinks.Empty<Void> stopped = Sinks.empty();
            Map<String, String> variables = new HashMap<>(started.environment());
            variables.putAll(environment);
            Flux<T> server = streams.followProcess(processes.run(command, variables, output, input), streamFile,
                            PytestWorker.POLL_PERIOD)
                    .takeUntilOther(stopped.asMono().then(Mono.delay(STOP_GRACE)))
                    .doOnNext(followed -> {
                        if (followed instanceof FollowedProcess.Event event) {
                            announced(event.event(), command).ifPresent(readiness::tryEmitValue);
                        }
                    })
                    .doFinally(signal -> readiness.tryEmitValue(new NotServing("it ended before it was ready")))
                    .thenMany(Flux.empty());
            // readiness comes on the stream poller's thread or NuProcess's: the work starts on a thread of its own
            Mono<T> served = readiness.asMono().publishOn(Schedulers.boundedElastic())
                    .flatMap(ready -> work.apply(ready).doFinally(signal -> {
                        input.send(WorkerCommand.stop());
                        stopped.tryEmitEmpty();
                    }));
            return Flux.merge(server, served).singleOrEmpty();
        });
    }

    /** What an event says of the server's readiness: ready (and usable here), not serving, or nothing yet. */
    private Optional<Served> announced(StreamEvent event, List<String> command) {
        if (event instanceof StreamEvent.ForkServerReady ready) {
            // a server inside a container names its Python there, which may not exist here
            return Optional.of(runsHere(ready.executable())
                    ? new Ready(command, ready.executable(), socket, streams.forkClient().orElseThrow())
                    : new NotServing("its Python, " + ready.executable() + ", is not on this machine"));
        }
        if (event instanceof StreamEvent.ForkServerUnavailable unavailable) {
            return Optional.of(new NotServing(unavailable.reason()));
        }
        return Optional.empty();
    }
}
