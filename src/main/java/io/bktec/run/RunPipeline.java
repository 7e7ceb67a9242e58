package io.bktec.run;

import io.bktec.process.ChildExit;
import io.bktec.process.OutputSink;
import io.bktec.process.ProcessRegistry;
import io.bktec.process.ProcessLauncher;
import io.bktec.results.ResultFormatException;
import io.bktec.results.ResultReader;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import io.bktec.runner.CommandTemplate;
import io.bktec.runner.Runner;
import io.bktec.stream.FollowedProcess;
import io.bktec.stream.PluginImportWatch;
import io.bktec.stream.PluginMissing;
import io.bktec.stream.ResultComparison;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.StreamOutcome;
import io.bktec.stream.TestStream;
import io.bktec.watch.Interruption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs one node's tests: batches of the task run as child processes (up to the concurrency at once), each process's
 * results stream is followed while it runs and its result file parsed as soon as it exits, the failed tests (and
 * tests a crash kept from running) flow into the next attempt until none are left, the retry budget is spent or the
 * run cannot be repaired, and one exit status is decided from it all.
 */
public final class RunPipeline {
    private final Runner runner;
    private final RunOptions options;
    private final ProcessLauncher processes;
    private final ProcessRegistry registry;
    private final ResultFiles resultFiles;
    private final RunListener listener;
    private final Function<Batch, OutputSink> outputs;
    private final Path workingDirectory;
    private final ResultsStream streams;
    private final BatchFiles files;
    private final WorkerAttempt workers;
    /** One id for every test process of the run, as pytest-xdist's testrun_uid. */
    private final String runId = WorkerIdentity.newRunId();

    public RunPipeline(RunContext context) {
        this.runner = context.runner();
        this.options = context.options();
        this.processes = context.processes();
        this.registry = context.registry();
        this.resultFiles = context.resultFiles();
        this.listener = context.listener();
        this.outputs = context.outputs();
        this.workingDirectory = context.workingDirectory();
        this.streams = context.streams();
        this.files = new BatchFiles(runner, workingDirectory, options.compareResultFiles());
        this.workers = new WorkerAttempt(context, files, runId);
    }

    /** Runs the tests (plan paths) with these muted tests ("scope/name" keys). */
    public Mono<RunReport> run(List<String> tests, Set<String> mutedTests) {
        return Mono.defer(() -> {
            RunLedger ledger = new RunLedger(mutedTests, runner.latestDuplicateWins());
            ResultReader reader = runner.resultReader(workingDirectory);
            List<AttemptOutcome> attempts = new ArrayList<>();
            // Why retries stopped before the retry count was spent, when the attempt failed too much to retry.
            AtomicReference<String> notRetried = new AtomicReference<>();
            return attempt(0, tests, 0, Set.of(), reader)
                    .expand(outcome -> {
                        ledger.record(outcome);
                        attempts.add(outcome);
                        return next(outcome, ledger, notRetried)
                                .map(retry -> attempt(outcome.attempt() + 1, retry, ledger.notRunCount(),
                                        ledger.crashedTests(), reader))
                                .orElse(Mono.empty());
                    })
                    .then(Mono.fromSupplier(() -> new RunReport(attempts, RunSummary.of(ledger),
                            withRetryRefusal(ExitStatus.decide(facts(attempts, ledger)), notRetried.get()),
                            ledger.records())));
        });
    }

    private Optional<List<String>> next(AttemptOutcome outcome, RunLedger ledger,
                                        AtomicReference<String> notRetried) {
        boolean terminal = outcome.batches().stream().anyMatch(b -> facts(b).terminal());
        if (terminal || registry.cancelled() || outcome.attempt() >= options.retryCount()) {
            return Optional.empty();
        }
        List<String> retry = ledger.retryList(options.retryMuted());
        if (retry.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> refusal = options.retryMaxFailures()
                .flatMap(limit -> RetryRefusal.of(limit, outcome, ledger.size(), ledger::isMuted));
        if (refusal.isPresent()) {
            listener.notice(refusal.get() + ": not retrying");
            notRetried.set(refusal.get());
            return Optional.empty();
        }
        return Optional.of(retry);
    }

    private static ExitStatus.Decision withRetryRefusal(ExitStatus.Decision decision, String refusal) {
        return refusal == null || decision.code() == 0 ? decision
                : new ExitStatus.Decision(decision.code(), decision.reason() + " (not retried: " + refusal + ")");
    }

    /**
     * @param isolated tests that crashed their process last time: they run in a batch of their own (or last, with
     *                 workers), so that a crash that repeats cannot keep the other tests from running
     */
    private Mono<AttemptOutcome> attempt(int attempt, List<String> tests, int notRun, Set<String> isolated,
                                         ResultReader reader) {
        Mono<AttemptOutcome> outcome;
        if (workers.wanted(tests)) {
            CommandTemplate template = runner.commandFor(attempt);
            // Empty when pytest could not import the plugin: then the attempt runs as batches, without it.
            outcome = workers.run(attempt, tests, notRun, isolated, template, reader)
                    .flatMap(ran -> ran.isPresent() ? Mono.just(ran.get())
                            : batchAttempt(attempt, tests, notRun, isolated, reader));
        } else {
            outcome = batchAttempt(attempt, tests, notRun, isolated, reader);
        }
        return outcome.flatMap(done -> aloneAfterMemoryKills(done, reader))
                .doOnNext(done -> listener.attemptFinished(done, done.batches().stream().anyMatch(this::failed)
                        || !done.unassigned().isEmpty()));
    }

    /**
     * Tests the kernel killed for want of memory run once more, each alone, after the rest of the attempt: the memory
     * may have been another process's. What each does alone is its result (it is not counted as a retry).
     */
    private Mono<AttemptOutcome> aloneAfterMemoryKills(AttemptOutcome done, ResultReader reader) {
        List<String> killed = done.batches().stream()
                .flatMap(b -> b.stream().filter(s -> s.interrupted().map(i -> i.interruption()
                        instanceof Interruption.OutOfMemory).orElse(false)).stream())
                .flatMap(s -> s.crashedTests().stream()).distinct().toList();
        if (killed.isEmpty() || registry.cancelled()) {
            return Mono.just(done);
        }
        int attempt = done.attempt();
        AttemptRun run = new AttemptRun(runner.commandFor(attempt), reader,
                new AttemptProgress(attempt, System.nanoTime()), options.concurrency() > 1
                ? Optional.of(new IdentitySlots(1, runId)) : Optional.empty(),
                new AtomicInteger(done.batches().stream().mapToInt(b -> b.batch().index()).max().orElse(0)));
        listener.notice(killed.size() + " test" + (killed.size() == 1 ? " was" : "s were") + " killed by the "
                + "kernel for want of memory: running " + (killed.size() == 1 ? "it" : "each") + " once more, alone");
        return Flux.fromIterable(killed)
                .concatMap(test -> batch(besides(run, attempt, 0, List.of(test),
                        "alone: it was killed for want of memory"), run))
                .collectList()
                .map(alone -> {
                    List<BatchOutcome> all = new ArrayList<>(done.batches());
                    all.addAll(alone);
                    return new AttemptOutcome(attempt, all, done.startedAt(), Instant.now(), done.unassigned());
                });
    }

    /** The attempt as batches: each a pytest process given its share of the tests. */
    private Mono<AttemptOutcome> batchAttempt(int attempt, List<String> tests, int notRun, Set<String> isolated,
                                              ResultReader reader) {
        List<String> shared = tests.stream().filter(t -> !isolated.contains(t)).toList();
        List<String> alone = tests.stream().filter(isolated::contains).toList();
        // A runner that picks its own tests (pants) runs its whole command once per attempt.
        List<List<String>> groups = new ArrayList<>(runner.runsWholeCommand() ? List.of(List.of())
                : Batches.queue(shared, options.weight(), options.weightsKnown(), options.batchSize(),
                options.concurrency(), options.maxArgumentBytes()));
        if (!alone.isEmpty() && !runner.runsWholeCommand()) {
            groups.add(alone);
        }
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            batches.add(resultFiles.batch(attempt, i + 1, groups.size(), groups.get(i), false, ""));
        }
        CommandTemplate template = runner.commandFor(attempt);
        return Mono.fromCallable(() -> {
                    listener.attemptStarting(attempt, options.retryCount(), tests.size(), notRun, batches.size());
                    return Instant.now();
                })
                .flatMap(started -> {
                    // Above concurrency 1 each process has a slot of its own among those running at once (gw0 …).
                    Optional<IdentitySlots> slots = options.concurrency() > 1
                            ? Optional.of(new IdentitySlots(Math.min(options.concurrency(), batches.size()), runId))
                            : Optional.empty();
                    AttemptRun run = new AttemptRun(template, reader, new AttemptProgress(attempt, System.nanoTime()),
                            slots, new AtomicInteger(batches.size()));
                    return Flux.fromIterable(batches)
                            .flatMap(batch -> batch(batch, run), options.concurrency(), 1)
                            .collectList()
                            .map(outcomes -> new AttemptOutcome(attempt, outcomes, started, Instant.now()));
                });
    }

    /**
     * What every batch of an attempt runs with.
     *
     * @param nextIndex the highest batch index given so far: a process beside the planned batches takes the next
     */
    private record AttemptRun(CommandTemplate template, ResultReader reader, AttemptProgress progress,
                              Optional<IdentitySlots> slots, AtomicInteger nextIndex) {
    }

    /** A process beside the attempt's planned batches, with the next index. */
    private Batch besides(AttemptRun run, int attempt, int of, List<String> tests, String note) {
        return resultFiles.batch(attempt, run.nextIndex().incrementAndGet(), of, tests, false, note);
    }

    /**
     * The batch, and the rest of its tests in a new process each time bktec stops it in the middle of a test (a
     * timeout) or the kernel kills it (memory), holding a slot all the while (given back before the next batch can
     * start).
     */
    private Flux<BatchOutcome> batch(Batch batch, AttemptRun run) {
        return Flux.defer(() -> {
            Optional<IdentitySlots.Held> held = run.slots().map(IdentitySlots::take);
            Map<String, String> identity = held.map(h -> h.identity().environment()).orElse(Map.of());
            return withTheRest(batch, run, identity)
                    .doOnTerminate(() -> held.ifPresent(IdentitySlots.Held::giveBack))
                    .doOnCancel(() -> held.ifPresent(IdentitySlots.Held::giveBack));
        });
    }

    private Flux<BatchOutcome> withTheRest(Batch batch, AttemptRun run, Map<String, String> identity) {
        return batch(batch, run, identity).flatMapMany(outcome -> {
            Optional<StreamOutcome.Stopped> stopped = outcome.stream().flatMap(StreamOutcome::interrupted)
                    .filter(s -> s.interruption().explainsTheExit());
            List<String> rest = outcome.stream().map(StreamOutcome::notRun).orElse(List.of());
            if (stopped.isEmpty() || rest.isEmpty() || registry.cancelled() || runner.runsWholeCommand()) {
                return Flux.just(outcome);
            }
            Batch next = besides(run, batch.attempt(), batch.of(), rest, "the rest of " + batch.label());
            listener.notice(stopped.get().description() + ", so " + (rest.size() == 1 ? "it runs" : "they run")
                    + " in a new process (batch " + next.index() + ")");
            return Flux.just(outcome).concatWith(withTheRest(next, run, identity));
        });
    }

    private Mono<BatchOutcome> batch(Batch batch, AttemptRun run, Map<String, String> identity) {
        CommandTemplate template = run.template();
        return Mono.fromCallable(() -> files.prepare(batch, template, streams.on()))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(argv -> listener.batchStarting(batch, argv))
                .flatMap(argv -> execute(batch, argv, run, identity)
                        .flatMap(executed -> {
                            if (executed.pluginMissing() == PluginMissing.NO) {
                                return Mono.just(executed.outcome());
                            }
                            if (executed.pluginMissing() == PluginMissing.IMPORT_FAILED && streams.turnOff()) {
                                listener.notice("pytest could not import bktec's plugin (the test command sets "
                                        + "PYTHONPATH itself but keeps PYTEST_PLUGINS), so it stopped before running "
                                        + "tests; bktec runs without the plugin from now on. Add to PYTHONPATH instead "
                                        + "of replacing it, or set BUILDKITE_TEST_ENGINE_RESULTS_STREAM=false");
                            }
                            if (executed.pluginMissing() == PluginMissing.OPTION_UNKNOWN && files.stopPlanning()) {
                                listener.notice(PluginMissing.OPTION_UNKNOWN_NOTICE);
                            }
                            listener.notice("running " + batch.label() + " again "
                                    + (executed.pluginMissing() == PluginMissing.IMPORT_FAILED
                                    ? "without bktec's plugin" : "with each test as an argument"));
                            return Mono.fromCallable(() -> files.prepare(batch, template, streams.on()))
                                    .subscribeOn(Schedulers.boundedElastic())
                                    .doOnNext(again -> listener.batchStarting(batch, again))
                                    .flatMap(again -> execute(batch, again, run, identity))
                                    .map(Executed::outcome);
                        }))
                .doOnNext(listener::batchFinished);
    }

    /** A finished process, and whether pytest stopped before any test for want of bktec's plugin. */
    private record Executed(BatchOutcome outcome, PluginMissing pluginMissing) {
    }

    /** @param identity the process's identity as pytest-xdist gives it (above concurrency 1) */
    private Mono<Executed> execute(Batch batch, List<String> argv, AttemptRun run, Map<String, String> identity) {
        ResultReader reader = run.reader();
        AttemptProgress progress = run.progress();
        Optional<Map<String, String>> streamEnvironment = streams.environment(batch.streamFile())
                .map(environment -> with(environment, identity));
        if (streamEnvironment.isEmpty()) {
            return processes.run(argv, identity, outputs.apply(batch))
                    .zipWith(preparation(reader), (exit, prepared) -> exit)
                    .publishOn(Schedulers.boundedElastic())
                    .map(exit -> new Executed(new BatchOutcome(batch, exit, files.readWithoutStream(batch, exit, reader)),
                            PluginMissing.NO));
        }
        TestStream tests = streams.newTestStream();
        progress.add(tests);
        PluginImportWatch watch = new PluginImportWatch(outputs.apply(batch));
        Mono<ChildExit> followed = streams.followProcess(processes.run(argv, streamEnvironment.get(), watch),
                        batch.streamFile())
                .doOnNext(item -> {
                    if (item instanceof FollowedProcess.Event event) {
                        tests.accept(event.event());
                        listener.progress(progress);
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
                    return new Executed(files.outcome(batch, exit, stream, reader), PluginMissing.of(watch, stream));
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

    private boolean failed(BatchOutcome outcome) {
        return !(outcome.exit() instanceof ChildExit.Exited e && e.code() == 0)
                || outcome.results().results().stream().anyMatch(r -> r.status() == TestStatus.FAILED);
    }

    private BatchFacts facts(BatchOutcome outcome) {
        List<TestResult> results = outcome.results().results();
        int failed = (int) results.stream().filter(r -> r.status() == TestStatus.FAILED).count();
        boolean collectionError = results.stream().anyMatch(TestResult::collectionError);
        // A worker's crash is always retryable: the dispatcher gave what it left undone to another worker.
        Optional<BatchFacts.Crash> crash = outcome.stream().flatMap(stream -> stream.crash()
                .map(description -> new BatchFacts.Crash(description,
                        stream.crashRetryable() || outcome.batch().worker())));
        return new BatchFacts(outcome.exit(),
                outcome.exit() instanceof ChildExit.Exited e ? runner.meaningOf(e.code()) : null,
                outcome.results().readable(), failed, collectionError, crash,
                outcome.stream().flatMap(StreamOutcome::stopped),
                outcome.stream().flatMap(StreamOutcome::interrupted).map(StreamOutcome.Stopped::interruption));
    }

    private ExitStatus.Facts facts(List<AttemptOutcome> attempts, RunLedger ledger) {
        List<List<BatchFacts>> perAttempt = attempts.stream()
                .map(a -> a.batches().stream().map(this::facts).toList())
                .toList();
        return new ExitStatus.Facts(registry.cancelSignal(), perAttempt, ledger.unmutedFailures(), ledger.size(),
                ledger.notRunCount());
    }
}
