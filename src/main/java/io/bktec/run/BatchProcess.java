package io.bktec.run;

import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.StreamOutcome;
import io.bktec.process.ChildExit;
import io.bktec.process.OutputSink;
import io.bktec.results.ResultReader;
import io.bktec.stream.FollowedProcess;
import io.bktec.stream.PluginImportWatch;
import io.bktec.stream.PluginMissing;
import io.bktec.stream.TestStream;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one batch's process to its end: with bktec's plugin, its results stream followed as it grows and its
 * ending decided once from it ({@link TestStream#finish}); without, its result file read after its exit. Either
 * way the batch's outcome, and whether pytest stopped before any test for want of the plugin.
 */
final class BatchProcess {
    private final RunContext context;
    private final BatchFiles files;
    private final PluginCapability plugin;

    BatchProcess(RunContext context, BatchFiles files, PluginCapability plugin) {
        this.context = context;
        this.files = files;
        this.plugin = plugin;
    }

    /** A finished process, and whether pytest stopped before any test for want of bktec's plugin. */
    record Finished(BatchOutcome outcome, PluginMissing pluginMissing) {
    }

    /** @param identity the process's identity as pytest-xdist gives it (above concurrency 1) */
    Mono<Finished> run(Batch batch, List<String> argv, ResultReader reader, AttemptProgress progress,
                       Map<String, String> identity) {
        OutputSink output = context.outputs().apply(batch);
        Optional<Map<String, String>> streamEnvironment = plugin.streaming()
                ? context.streams().environment(batch.streamFile()).map(environment -> with(environment, identity))
                : Optional.empty();
        if (streamEnvironment.isEmpty()) {
            return context.processes().run(argv, identity, output)
                    .zipWith(preparation(reader), (exit, prepared) -> exit)
                    .publishOn(Schedulers.boundedElastic())
                    .map(exit -> new Finished(new BatchOutcome(batch, exit, files.readWithoutStream(batch, exit, reader)),
                            PluginMissing.NO));
        }
        TestStream tests = context.streams().newTestStream();
        progress.add(tests);
        PluginImportWatch watch = new PluginImportWatch(output);
        Mono<ChildExit> followed = context.streams().followProcess(
                        context.processes().run(argv, streamEnvironment.get(), watch), batch.streamFile())
                .doOnNext(item -> {
                    if (item instanceof FollowedProcess.Event event) {
                        tests.accept(event.event());
                        context.listener().progress(progress);
                    } else if (item instanceof FollowedProcess.Interrupted interrupted) {
                        tests.interrupted(interrupted.interruption());
                    }
                })
                .last()
                .map(ended -> ((FollowedProcess.Ended) ended).exit());
        return Mono.zip(followed, preparation(reader))
                .publishOn(Schedulers.boundedElastic())
                .map(done -> {
                    ChildExit exit = done.getT1();
                    StreamOutcome stream = tests.finish(exit.ending());
                    return new Finished(files.outcome(batch, exit, stream, reader), PluginMissing.of(watch, stream));
                });
    }

    private static Map<String, String> with(Map<String, String> environment, Map<String, String> more) {
        if (more.isEmpty()) {
            return environment;
        }
        Map<String, String> all = new HashMap<>(environment);
        all.putAll(more);
        return all;
    }

    /** The reader warms up on another thread while the test process runs; it always emits, so the zip waits for the exit. */
    static Mono<Boolean> preparation(ResultReader reader) {
        return Mono.fromCallable(() -> {
            reader.prepare();
            return true;
        }).subscribeOn(Schedulers.boundedElastic()).onErrorReturn(false);
    }
}
