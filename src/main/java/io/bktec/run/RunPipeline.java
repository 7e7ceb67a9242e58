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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs one node's tests: batches of the task run as child processes (up to the concurrency at once), each batch's
 * result file is parsed as soon as its process exits, the failed tests flow into the next attempt until none are
 * left, the retry budget is spent or the run cannot be repaired, and one exit status is decided from it all.
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

    public RunPipeline(Runner runner, RunOptions options, ProcessLauncher processes, ProcessRegistry registry,
                       ResultFiles resultFiles, RunListener listener, Function<Batch, OutputSink> outputs,
                       Path workingDirectory) {
        this.runner = runner;
        this.options = options;
        this.processes = processes;
        this.registry = registry;
        this.resultFiles = resultFiles;
        this.listener = listener;
        this.outputs = outputs;
        this.workingDirectory = workingDirectory;
    }

    /** Runs the tests (plan paths) with these muted tests ("scope/name" keys). */
    public Mono<RunReport> run(List<String> tests, Set<String> mutedTests) {
        return Mono.defer(() -> {
            RunLedger ledger = new RunLedger(mutedTests, runner.latestDuplicateWins());
            ResultReader reader = runner.resultReader(workingDirectory);
            List<AttemptOutcome> attempts = new ArrayList<>();
            return attempt(0, tests, reader)
                    .expand(outcome -> {
                        ledger.record(outcome);
                        attempts.add(outcome);
                        return next(outcome, ledger).map(retry -> attempt(outcome.attempt() + 1, retry, reader))
                                .orElse(Mono.empty());
                    })
                    .then(Mono.fromSupplier(() -> new RunReport(attempts, RunSummary.of(ledger),
                            ExitStatus.decide(facts(attempts, ledger)), ledger.records())));
        });
    }

    private java.util.Optional<List<String>> next(AttemptOutcome outcome, RunLedger ledger) {
        boolean terminal = outcome.batches().stream().anyMatch(b -> facts(b).terminal());
        if (terminal || registry.cancelled() || outcome.attempt() >= options.retryCount()) {
            return java.util.Optional.empty();
        }
        List<String> retry = ledger.retryList(options.retryMuted());
        return retry.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(retry);
    }

    private Mono<AttemptOutcome> attempt(int attempt, List<String> tests, ResultReader reader) {
        // A runner that picks its own tests (pants) runs its whole command once per attempt.
        List<List<String>> groups = runner.runsWholeCommand() ? List.of(List.of())
                : Batches.queue(tests, options.weight(), options.weightsKnown(), options.batchSize(),
                options.concurrency(), options.maxArgumentBytes());
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            batches.add(new Batch(attempt, i + 1, groups.size(), groups.get(i), resultFiles.forBatch(attempt, i + 1)));
        }
        CommandTemplate template = attempt == 0 ? runner.testCommand() : runner.retryCommand();
        return Mono.fromCallable(() -> {
                    listener.attemptStarting(attempt, options.retryCount(), tests.size(), batches.size());
                    return Instant.now();
                })
                .flatMap(started -> Flux.fromIterable(batches)
                        .flatMap(batch -> batch(batch, template, reader), options.concurrency())
                        .collectList()
                        .map(outcomes -> new AttemptOutcome(attempt, outcomes, started, Instant.now())))
                .doOnNext(outcome -> listener.attemptFinished(outcome, outcome.batches().stream().anyMatch(this::failed)));
    }

    private Mono<BatchOutcome> batch(Batch batch, CommandTemplate template, ResultReader reader) {
        return Mono.fromCallable(() -> prepare(batch, template))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(argv -> listener.batchStarting(batch, argv))
                .flatMap(argv -> processes.run(argv, outputs.apply(batch))
                        .zipWith(preparation(reader), (exit, prepared) -> exit))
                .publishOn(Schedulers.boundedElastic())
                .map(exit -> new BatchOutcome(batch, exit, read(batch, exit, reader)))
                .doOnNext(listener::batchFinished);
    }

    /** The reader warms up on another thread while the test process runs; it always emits, so the zip waits for the exit. */
    static Mono<Boolean> preparation(ResultReader reader) {
        return Mono.fromCallable(() -> {
            reader.prepare();
            return true;
        }).subscribeOn(Schedulers.boundedElastic()).onErrorReturn(false);
    }

    private List<String> prepare(Batch batch, CommandTemplate template) throws IOException {
        Files.createDirectories(batch.resultFile().toAbsolutePath().getParent());
        Files.deleteIfExists(batch.resultFile());
        List<String> arguments = batch.tests().stream().map(runner::commandLineArgument).toList();
        return template.expand(arguments, batch.resultFile().toString());
    }

    private ResultsRead read(Batch batch, ChildExit exit, ResultReader reader) {
        Path file = workingDirectory.resolve(batch.resultFile());
        if (exit instanceof ChildExit.NotStarted || !Files.exists(file)) {
            return new ResultsRead.Missing();
        }
        List<TestResult> results = new ArrayList<>();
        try {
            reader.read(file, results::add);
            return new ResultsRead.Read(results);
        } catch (IOException | ResultFormatException | RuntimeException e) {
            return new ResultsRead.Unreadable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private boolean failed(BatchOutcome outcome) {
        return !(outcome.exit() instanceof ChildExit.Exited e && e.code() == 0)
                || outcome.results().results().stream().anyMatch(r -> r.status() == TestStatus.FAILED);
    }

    private BatchFacts facts(BatchOutcome outcome) {
        List<TestResult> results = outcome.results().results();
        int failed = (int) results.stream().filter(r -> r.status() == TestStatus.FAILED).count();
        boolean collectionError = results.stream().anyMatch(TestResult::collectionError);
        return new BatchFacts(outcome.exit(),
                outcome.exit() instanceof ChildExit.Exited e ? runner.meaningOf(e.code()) : null,
                outcome.results().readable(), failed, collectionError);
    }

    private ExitStatus.Facts facts(List<AttemptOutcome> attempts, RunLedger ledger) {
        List<List<BatchFacts>> perAttempt = attempts.stream()
                .map(a -> a.batches().stream().map(this::facts).toList())
                .toList();
        return new ExitStatus.Facts(registry.cancelSignal(), perAttempt, ledger.unmutedFailures(), ledger.size());
    }
}
