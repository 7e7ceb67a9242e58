package io.bktec.run;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.BatchFacts;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.ExitStatus;
import io.bktec.outcome.RunReport;
import io.bktec.process.ChildExit;
import io.bktec.results.ResultReader;
import io.bktec.results.TestStatus;
import io.bktec.runner.Runner;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one node's tests as a loop over attempts: each attempt runs as batches ({@link BatchAttempt}) or persistent
 * workers ({@link WorkerAttempt}), then the tests the kernel killed for want of memory run alone
 * ({@link MemoryKillReruns}); the failed tests (and tests a crash kept from running) flow into the next attempt until
 * none are left, the retry budget is spent or the run cannot be repaired, and one exit status is decided from it all.
 */
public final class RunPipeline {
    private final RunContext context;
    private final Runner runner;
    private final RunOptions options;
    private final BatchAttempt batches;
    private final WorkerAttempt workers;
    private final MemoryKillReruns memoryKills;

    public RunPipeline(RunContext context) {
        this.context = context;
        this.runner = context.runner();
        this.options = context.options();
        PluginCapability plugin = new PluginCapability(context.streams().installed());
        BatchFiles files = new BatchFiles(runner, context.workingDirectory(), plugin, options.compareResultFiles());
        // One id for every test process of the run, as pytest-xdist's testrun_uid.
        String runId = WorkerIdentity.newRunId();
        this.batches = new BatchAttempt(context, files, plugin, runId);
        this.workers = new WorkerAttempt(context, files, plugin, runId);
        this.memoryKills = new MemoryKillReruns(context, batches);
    }

    /** Runs the tests (plan paths) with these muted tests ("scope/name" keys). */
    public Mono<RunReport> run(List<String> tests, Set<String> mutedTests) {
        return Mono.defer(() -> {
            RunLedger ledger = new RunLedger(mutedTests, runner.latestDuplicateWins());
            ResultReader reader = runner.resultReader(context.workingDirectory());
            List<AttemptOutcome> attempts = new ArrayList<>();
            // Why retries stopped before the retry count was spent, when the attempt failed too much to retry.
            AtomicReference<String> notRetried = new AtomicReference<>();
            return attempt(new AttemptPlan(0, tests, 0, Set.of(), runner.commandFor(0), reader))
                    .expand(outcome -> {
                        ledger.record(outcome);
                        attempts.add(outcome);
                        int number = outcome.attempt() + 1;
                        return next(outcome, ledger, notRetried)
                                .map(retry -> attempt(new AttemptPlan(number, retry, ledger.notRunCount(),
                                        ledger.crashedTests(), runner.commandFor(number), reader)))
                                .orElse(Mono.empty());
                    })
                    .then(Mono.fromSupplier(() -> new RunReport(attempts, ledger.summary(),
                            withRetryRefusal(ExitStatus.decide(facts(attempts, ledger)), notRetried.get()),
                            ledger.records())));
        });
    }

    /** What the next attempt runs, if there is one. */
    private Optional<List<String>> next(AttemptOutcome outcome, RunLedger ledger,
                                        AtomicReference<String> notRetried) {
        boolean terminal = outcome.batches().stream().anyMatch(b -> facts(b).terminal());
        if (terminal || context.registry().cancelled() || outcome.attempt() >= options.retryCount()) {
            return Optional.empty();
        }
        List<String> retry = ledger.retryList(options.retryMuted());
        if (retry.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> refusal = options.retryMaxFailures()
                .flatMap(limit -> RetryRefusal.of(limit, outcome, ledger.size(), ledger::isMuted));
        if (refusal.isPresent()) {
            context.listener().notice(refusal.get() + ": not retrying");
            notRetried.set(refusal.get());
            return Optional.empty();
        }
        return Optional.of(retry);
    }

    private static ExitStatus.Decision withRetryRefusal(ExitStatus.Decision decision, String refusal) {
        return refusal == null || decision.code() == 0 ? decision
                : new ExitStatus.Decision(decision.code(), decision.reason() + " (not retried: " + refusal + ")");
    }

    /** One attempt: by workers when they suit it (as batches when pytest turns out not to load the plugin). */
    private Mono<AttemptOutcome> attempt(AttemptPlan plan) {
        Mono<AttemptOutcome> ran = workers.wanted(plan.tests())
                ? workers.run(plan).flatMap(done -> done.map(Mono::just).orElseGet(() -> batches.run(plan)))
                : batches.run(plan);
        return ran.flatMap(done -> memoryKills.after(plan, done))
                .doOnNext(done -> context.listener().attemptFinished(done,
                        done.batches().stream().anyMatch(RunPipeline::failed) || !done.unassigned().isEmpty()));
    }

    private static boolean failed(BatchOutcome outcome) {
        return !(outcome.exit() instanceof ChildExit.Exited e && e.code() == 0)
                || outcome.results().results().stream().anyMatch(r -> r.status() == TestStatus.FAILED);
    }

    private BatchFacts facts(BatchOutcome outcome) {
        return BatchFacts.of(outcome, runner::meaningOf);
    }

    private ExitStatus.Facts facts(List<AttemptOutcome> attempts, RunLedger ledger) {
        List<List<BatchFacts>> perAttempt = attempts.stream()
                .map(a -> a.batches().stream().map(this::facts).toList())
                .toList();
        return new ExitStatus.Facts(context.registry().cancelSignal(), perAttempt, ledger.unmutedFailures(),
                ledger.size(), ledger.notRunCount());
    }
}
