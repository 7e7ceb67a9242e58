package io.bktec.stream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run's results streams: whether pytest processes get bktec's plugin, the environment that loads it for one
 * process, and following that process's stream file while it grows.
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
    private final AtomicBoolean on;
    /** One poller per period: the batches' and the workers' streams are read at different rates. */
    private final java.util.Map<Duration, StreamPoller> pollers = new java.util.concurrent.ConcurrentHashMap<>();

    private ResultsStream(Path pluginDirectory, Map<String, String> baseEnvironment, TestStream.ScopeStyle style,
                          Path workingDirectory, Duration pollPeriod, Scheduler poller) {
        this.pluginDirectory = pluginDirectory;
        this.baseEnvironment = baseEnvironment;
        this.style = style;
        this.workingDirectory = workingDirectory;
        this.pollPeriod = pollPeriod;
        this.poller = poller;
        this.on = new AtomicBoolean(pluginDirectory != null);
    }

    /** No plugin: results come from result files only. */
    public static ResultsStream off() {
        return new ResultsStream(null, Map.of(), TestStream.ScopeStyle.COLLECTOR, Path.of(""), POLL_PERIOD,
                Schedulers.immediate());
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
                poller);
    }

    /** The same, reading stream files on a thread of bktec's own. */
    public static ResultsStream using(Path pluginDirectory, Map<String, String> baseEnvironment,
                                      TestStream.ScopeStyle style, Path workingDirectory) {
        return using(pluginDirectory, baseEnvironment, style, workingDirectory, POLL_PERIOD, SHARED_POLLER.get());
    }

    public boolean on() {
        return on.get();
    }

    /** Stops giving processes the plugin, for the rest of the run; true the first time. */
    public boolean turnOff() {
        return on.getAndSet(false);
    }

    /** The variables that load the plugin into one process writing to {@code streamFile}; empty when off. */
    public Optional<Map<String, String>> environment(Path streamFile) {
        return on() ? Optional.of(PytestPlugin.environment(pluginDirectory, streamFile, baseEnvironment))
                : Optional.empty();
    }

    /** bktec_fork.py, beside the plugin; empty when off. */
    public Optional<Path> forkClient() {
        return on() ? Optional.of(pluginDirectory.resolve(PytestPlugin.FORK_CLIENT)) : Optional.empty();
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
}
