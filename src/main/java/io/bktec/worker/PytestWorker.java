package io.bktec.worker;

import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.StreamOutcome;
import io.bktec.process.ChildExit;
import io.bktec.process.OutputSink;
import io.bktec.process.ProcessInput;
import io.bktec.process.ProcessLauncher;
import io.bktec.stream.FollowedProcess;
import io.bktec.stream.PluginImportWatch;
import io.bktec.stream.PluginMissing;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.StreamEvent;
import io.bktec.stream.TestStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

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
     * How the worker ended, and its results.
     *
     * @param tests         its stream's tests (what it collected names the tests nobody ran)
     * @param pluginMissing whether pytest stopped before any test for want of bktec's plugin, and how
     * @param outcome       its results, as a batch of the attempt
     */
    public record Finished(ChildExit exit, StreamOutcome stream, TestStream tests, PluginMissing pluginMissing,
                           BatchOutcome outcome) {
    }

    private final ProcessLauncher processes;
    private final ResultsStream streams;
    private final Path streamFile;
    private final Callable<WorkerLaunch> launch;
    private final OutputSink output;
    private final Runnable progressed;
    private final BiFunction<ChildExit, StreamOutcome, BatchOutcome> results;
    private final ProcessInput input = new ProcessInput();
    private final TestStream tests;
    private volatile boolean stopSent;

    /**
     * @param streamFile the stream its launch's environment names
     * @param launch     prepares the worker's files and gives what starts it (blocking: run off the event loop)
     * @param progressed told of each event of its stream (for progress)
     * @param results    its results once it has ended (blocking: called off the event loop)
     */
    public PytestWorker(ProcessLauncher processes, ResultsStream streams, Path streamFile, Callable<WorkerLaunch> launch,
                        OutputSink output, Runnable progressed,
                        BiFunction<ChildExit, StreamOutcome, BatchOutcome> results) {
        this.processes = processes;
        this.streams = streams;
        this.streamFile = streamFile;
        this.launch = launch;
        this.output = output;
        this.progressed = progressed;
        this.results = results;
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
        return Mono.fromCallable(launch).subscribeOn(Schedulers.boundedElastic()).flatMapMany(started -> {
            PluginImportWatch watch = new PluginImportWatch(output);
            Map<String, String> environment = new HashMap<>(started.environment());
            environment.put(WORKER_VARIABLE, "1");
            return streams.followProcess(processes.run(started.argv(), environment, watch, input), streamFile,
                            POLL_PERIOD)
                    .concatMap(followed -> {
                        if (followed instanceof FollowedProcess.Event event) {
                            tests.accept(event.event());
                            progressed.run();
                            return Mono.justOrEmpty(toWorkerEvent(event.event()));
                        }
                        if (followed instanceof FollowedProcess.Interrupted interrupted) {
                            tests.interrupted(interrupted.interruption());
                            return Mono.<WorkerEvent>empty();
                        }
                        ChildExit exit = ((FollowedProcess.Ended) followed).exit();
                        return Mono.fromSupplier(() -> finish(exit, watch)).subscribeOn(Schedulers.boundedElastic());
                    });
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
        Finished finished = new Finished(exit, stream, tests, PluginMissing.of(watch, stream), results.apply(exit, stream));
        WorkerEnding ending = !stream.sessionStarted() ? WorkerEnding.NO_STREAM
                : WorkerEnding.of(stream.ending(), exit instanceof ChildExit.Signalled, stopSent);
        return new WorkerEvent.Exited(ending, tests.startedIds(), tests.collectedIds(), Optional.of(finished));
    }
}
