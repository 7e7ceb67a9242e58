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

    private final Path pluginDirectory;
    private final Map<String, String> baseEnvironment;
    private final TestStream.ScopeStyle style;
    private final Path workingDirectory;
    private final Duration pollPeriod;
    private final Scheduler timer;
    private final AtomicBoolean on;

    private ResultsStream(Path pluginDirectory, Map<String, String> baseEnvironment, TestStream.ScopeStyle style,
                          Path workingDirectory, Duration pollPeriod, Scheduler timer) {
        this.pluginDirectory = pluginDirectory;
        this.baseEnvironment = baseEnvironment;
        this.style = style;
        this.workingDirectory = workingDirectory;
        this.pollPeriod = pollPeriod;
        this.timer = timer;
        this.on = new AtomicBoolean(pluginDirectory != null);
    }

    /** No plugin: results come from result files only. */
    public static ResultsStream off() {
        return new ResultsStream(null, Map.of(), TestStream.ScopeStyle.COLLECTOR, Path.of(""), POLL_PERIOD,
                Schedulers.parallel());
    }

    /**
     * @param pluginDirectory where {@link PytestPlugin#install} put the plugin
     * @param baseEnvironment the test processes' environment, whose PYTHONPATH and PYTEST_PLUGINS are extended
     */
    public static ResultsStream using(Path pluginDirectory, Map<String, String> baseEnvironment,
                                      TestStream.ScopeStyle style, Path workingDirectory, Duration pollPeriod,
                                      Scheduler timer) {
        return new ResultsStream(pluginDirectory, Map.copyOf(baseEnvironment), style, workingDirectory, pollPeriod,
                timer);
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

    public TestStream newTestStream() {
        return new TestStream(style, workingDirectory);
    }

    /**
     * The events of a stream file as they are written: read every poll period until {@code ended} signals, then
     * once more for whatever the process wrote last. Lines that are not events are skipped.
     */
    public Flux<StreamEvent> follow(Path file, Mono<?> ended) {
        return Flux.using(() -> new StreamTail(file),
                tail -> Flux.interval(pollPeriod, pollPeriod, timer)
                        .onBackpressureDrop()
                        .takeUntilOther(ended)
                        .concatWith(Mono.just(-1L))
                        .concatMap(tick -> Mono.fromCallable(() -> events(tail)).subscribeOn(Schedulers.boundedElastic()), 1)
                        .concatMapIterable(events -> events),
                StreamTail::close);
    }

    /** A file that cannot be read makes the stream incomplete, which is what a plugin fault means too. */
    private static java.util.List<StreamEvent> events(StreamTail tail) {
        try {
            return tail.readNewLines().stream().map(StreamEventParser::parse).flatMap(Optional::stream).toList();
        } catch (java.io.IOException e) {
            return java.util.List.of(new StreamEvent.PluginError("could not read the results stream: " + e.getMessage()));
        }
    }
}
