package io.bktec.stream;

import io.bktec.coverage.CoverageFiles;
import io.bktec.process.ChildExit;
import io.bktec.watch.ProcessWatch;
import io.bktec.watch.TestWatch;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A run's results streams: where bktec's plugin is installed, the environment that loads it into one process, and
 * following that process's stream file while it grows. Immutable: whether a process gets the plugin now is the run's
 * to decide ({@code run.PluginCapability}).
 */
public final class ResultsStream {
    /** How often a growing stream file is read: often enough for progress, rarely enough to cost nothing. */
    public static final Duration POLL_PERIOD = Duration.ofMillis(200);
    /** Reads stream files: one thread of its own (reading a file is blocking I/O, if brief). */
    private static final java.util.function.Supplier<Scheduler> SHARED_POLLER = new java.util.function.Supplier<>() {
        private Scheduler poller;

        @Override
        public synchronized Scheduler get() {
            if (poller == null) {
                poller = Schedulers.newBoundedElastic(1, Integer.MAX_VALUE, "bktec-stream-poll", 60, true);
            }
            return poller;
        }
    };

    private final Path pluginDirectory;
    private final Map<String, String> baseEnvironment;
    private final TestStream.ScopeStyle style;
    private final Path workingDirectory;
    private final Duration pollPeriod;
    private final Scheduler poller;
    /** The clocks of the running tests, their stacks, and what killed them. */
    private final TestWatch watch;
    /** One poller per period: the batches' and the workers' streams are read at different rates. */
    private final java.util.Map<Duration, StreamPoller> pollers = new java.util.concurrent.ConcurrentHashMap<>();

    private ResultsStream(Path pluginDirectory, Map<String, String> baseEnvironment, TestStream.ScopeStyle style,
                          Path workingDirectory, Duration pollPeriod, Scheduler poller, TestWatch watch) {
        this.pluginDirectory = pluginDirectory;
        this.baseEnvironment = baseEnvironment;
        this.style = style;
        this.workingDirectory = workingDirectory;
        this.pollPeriod = pollPeriod;
        this.poller = poller;
        this.watch = watch;
    }

    /** No plugin: results come from result files only. */
    public static ResultsStream off() {
        return new ResultsStream(null, Map.of(), TestStream.ScopeStyle.COLLECTOR, Path.of(""), POLL_PERIOD,
                Schedulers.immediate(), TestWatch.off());
    }

    /**
     * @param pluginDirectory where {@link PytestPlugin#install} put the plugin
     * @param baseEnvironment the test processes' environment, whose PYTHONPATH and PYTEST_PLUGINS are extended
     * @param poller          where stream files are read: a scheduler whose threads may block (a virtual-time one
     *                        in tests)
     */
    public static ResultsStream using(Path pluginDirectory, Map<String, String> baseEnvironment,
                                      TestStream.ScopeStyle style, Path workingDirectory, Duration pollPeriod,
                                      Scheduler poller) {
        return new ResultsStream(pluginDirectory, Map.copyOf(baseEnvironment), style, workingDirectory, pollPeriod,
                poller, TestWatch.off());
    }

    /** The same, reading stream files on a thread of bktec's own, with {@code watch} over the running tests. */
    public static ResultsStream using(Path pluginDirectory, Map<String, String> baseEnvironment,
                                      TestStream.ScopeStyle style, Path workingDirectory, TestWatch watch) {
        return new ResultsStream(pluginDirectory, Map.copyOf(baseEnvironment), style, workingDirectory, POLL_PERIOD,
                SHARED_POLLER.get(), watch);
    }

    /** The same stream with {@code watch} over the running tests (tests use it with a virtual clock). */
    public ResultsStream watching(TestWatch other) {
        return new ResultsStream(pluginDirectory, baseEnvironment, style, workingDirectory, pollPeriod, poller, other);
    }

    /** Whether the plugin is installed for this run (else results come from result files only). */
    public boolean installed() {
        return pluginDirectory != null;
    }

    /**
     * The variables that load the plugin into one process writing to {@code streamFile}, and give it a coverage data
     * file of its own (combined with the others' at the end); empty when it is not installed.
     */
    public Optional<Map<String, String>> environment(Path streamFile) {
        if (!installed()) {
            return Optional.empty();
        }
        Map<String, String> environment = new java.util.HashMap<>(PytestPlugin.environment(pluginDirectory, streamFile,
                baseEnvironment));
        environment.putAll(CoverageFiles.environment(streamFile));
        return Optional.of(environment);
    }

    /** The plugin's coverage combiner, a script of its package; empty when the plugin was never installed. */
    public Optional<Path> coverageCombiner() {
        return pluginDirectory == null ? Optional.empty()
                : Optional.of(pluginDirectory.resolve(PytestPlugin.COVERAGE_COMBINER));
    }

    /** The plugin's fork client, a script of its package; empty when it is not installed. */
    public Optional<Path> forkClient() {
        return installed() ? Optional.of(pluginDirectory.resolve(PytestPlugin.FORK_CLIENT)) : Optional.empty();
    }

    public TestStream newTestStream() {
        return new TestStream(style, workingDirectory);
    }

    /**
     * The events of a stream file as they are written: read every poll period until {@code ended} signals, then
     * once more for whatever the process wrote last. Lines that are not events are skipped.
     */
    public Flux<StreamEvent> follow(Path file, Mono<?> ended) {
        return follow(file, ended, pollPeriod);
    }

    /** As {@link #follow(Path, Mono)}, read every {@code period}: a worker's "done" waits at most that long. */
    public Flux<StreamEvent> follow(Path file, Mono<?> ended, Duration period) {
        return pollers.computeIfAbsent(period, p -> new StreamPoller(poller, p)).follow(file, ended);
    }

    /** As {@link #followProcess(Mono, Path, Duration)}, the stream read every {@link #POLL_PERIOD} (a batch's). */
    public Flux<FollowedProcess> followProcess(Mono<ChildExit> process, Path file) {
        return followProcess(process, file, pollPeriod);
    }

    /**
     * Runs a test process and follows its stream file to the end, the one way batches, workers and fork servers are
     * followed: every event as it is read, then what bktec decided about a running test (a timeout, the job's
     * cancel) or saw happen to it (an OOM kill), then the process's end, once the last lines it wrote have been read.
     * Subscribing starts the process; cancelling kills it and stops the reading. Call it off the event loop (the
     * watch reads a count).
     *
     * @param process the process, started on subscription (a {@link io.bktec.process.ProcessLauncher}'s run)
     */
    public Flux<FollowedProcess> followProcess(Mono<ChildExit> process, Path file, Duration period) {
        return Flux.defer(() -> {
            ProcessWatch tests = watch.watch(PytestPlugin.stacksFile(file));
            Sinks.One<ChildExit> ended = Sinks.one();
            Mono<FollowedProcess> running = process
                    .doOnNext(ended::tryEmitValue)
                    .doFinally(signal -> ended.tryEmitEmpty())
                    .then(Mono.empty());
            Flux<FollowedProcess> events = follow(file, ended.asMono(), period)
                    .doOnNext(event -> WatchFeed.feed(tests, event))
                    .map(FollowedProcess.Event::new);
            return Flux.merge(running, events)
                    .concatWith(ended.asMono()
                            .switchIfEmpty(Mono.fromSupplier(() -> new ChildExit.NotStarted("it ended unseen")))
                            .flatMapMany(exit -> tests.ended(exit).flatMapMany(interruption -> Flux.concat(
                                    Mono.justOrEmpty(interruption).map(FollowedProcess.Interrupted::new),
                                    Mono.just(new FollowedProcess.Ended(exit))))));
        });
    }
}
