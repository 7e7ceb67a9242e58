package io.bktec.worker;

import io.bktec.process.ChildExit;
import io.bktec.process.OutputSink;
import io.bktec.process.ProcessInput;
import io.bktec.process.ProcessLauncher;
import io.bktec.stream.PluginImportWatch;
import io.bktec.stream.PluginMissing;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.StreamEvent;
import io.bktec.stream.StreamOutcome;
import io.bktec.stream.TestStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One pytest worker: a pytest process started through the usual process machinery (own process group, cancel,
 * leftovers) in worker mode, its commands written to its standard input, its results stream read while it grows.
 */
public final class PytestWorker implements WorkerHandle {
    /** A worker's "done" reaches the dispatcher within this: the stream is read this often while it runs. */
    public static final Duration POLL_PERIOD = Duration.ofMillis(5);
    /** Tells bktec's plugin to run as a worker. */
    public static final String WORKER_VARIABLE = "BKTEC_WORKER";

    /**
     * How the worker ended, for its results.
     *
     * @param pluginMissing whether pytest stopped before any test for want of bktec's plugin, and how
     */
    public record Finished(ChildExit exit, StreamOutcome stream, TestStream tests, PluginMissing pluginMissing) {
    }

    private final ProcessLauncher processes;
    private final java.util.concurrent.Callable<List<String>> argv;
    private final Map<String, String> environment;
    private final OutputSink output;
    private final ResultsStream streams;
    private final Path streamFile;
    private final Duration pollPeriod;
    private final Consumer<StreamEvent> eachEvent;
    private final Consumer<Finished> onFinished;
    private final ProcessInput input = new ProcessInput();
    private final TestStream tests;
    private volatile boolean stopSent;

    /**
     * @param argv              prepares the worker's files and gives its command (blocking: run off the event loop)
     * @param streamEnvironment the variables that load bktec's plugin with this worker's stream file
     * @param eachEvent         hears every stream event (progress)
     * @param onFinished        hears how it ended, before its {@link WorkerEvent.Exited} (off the event loop)
     */
    public PytestWorker(ProcessLauncher processes, java.util.concurrent.Callable<List<String>> argv,
                        Map<String, String> streamEnvironment,
                        OutputSink output, ResultsStream streams, Path streamFile, Duration pollPeriod,
                        Consumer<StreamEvent> eachEvent, Consumer<Finished> onFinished) {
        this.processes = processes;
        this.argv = argv;
        Map<String, String> env = new HashMap<>(streamEnvironment);
        env.put(WORKER_VARIABLE, "1");
        this.environment = Map.copyOf(env);
        this.output = output;
        this.streams = streams;
        this.streamFile = streamFile;
        this.pollPeriod = pollPeriod;
        this.eachEvent = eachEvent;
        this.onFinished = onFinished;
        this.tests = streams.newTestStream();
    }

    /** The worker's tests so far (for progress). */
    public TestStream tests() {
        return tests;
    }

    @Override
    public void send(String command) {
        if (command.equals(WorkerCommand.stop())) {
            stopSent = true;
        }
        input.send(command);
    }

    @Override
    public Flux<WorkerEvent> events() {
        return Mono.fromCallable(argv).subscribeOn(Schedulers.boundedElastic()).flatMapMany(command -> {
            PluginImportWatch watch = new PluginImportWatch(output);
            Sinks.One<ChildExit> ended = Sinks.one();
            Mono<WorkerEvent> process = processes.run(command, environment, watch, input)
                    .doOnNext(ended::tryEmitValue)
                    .doFinally(signal -> ended.tryEmitEmpty())
                    .then(Mono.empty());
            Flux<WorkerEvent> fromStream = streams.follow(streamFile, ended.asMono(), pollPeriod)
                    .doOnNext(event -> {
                        tests.accept(event);
                        eachEvent.accept(event);
                    })
                    .concatMapIterable(event -> toWorkerEvent(event).stream().toList());
            return Flux.merge(process, fromStream)
                    .concatWith(ended.asMono()
                            .switchIfEmpty(Mono.fromSupplier(() -> new ChildExit.NotStarted("the worker ended unseen")))
                            .publishOn(Schedulers.boundedElastic())
                            .map(exit -> finish(exit, watch)));
        });
    }

    private static Optional<WorkerEvent> toWorkerEvent(StreamEvent event) {
        if (event instanceof StreamEvent.SessionStart) {
            return Optional.of(new WorkerEvent.SessionStarted());
        }
        if (event instanceof StreamEvent.WorkerReady) {
            return Optional.of(new WorkerEvent.Ready());
        }
        if (event instanceof StreamEvent.WorkerDone done) {
            return Optional.of(new WorkerEvent.Done(done.command()));
        }
        return Optional.empty();
    }

    private WorkerEvent finish(ChildExit exit, PluginImportWatch watch) {
        StreamOutcome stream = tests.finish(exit.ending(), false);
        onFinished.accept(new Finished(exit, stream, tests, PluginMissing.of(watch, stream)));
        WorkQueue.Ending ending;
        if (!stream.sessionStarted()) {
            ending = WorkQueue.Ending.NO_STREAM;
        } else if (!stream.sessionEnded() || exit instanceof ChildExit.Signalled) {
            ending = WorkQueue.Ending.DIED;
        } else {
            ending = stopSent ? WorkQueue.Ending.STOPPED : WorkQueue.Ending.ENDED_BY_ITSELF;
        }
        return new WorkerEvent.Exited(ending, tests.startedIds(), tests.collectedIds());
    }

}
