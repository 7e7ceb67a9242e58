package io.bktec.run;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.ProcessEnding;
import io.bktec.outcome.StreamOutcome;
import io.bktec.stream.PluginMissing;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An attempt run as batches: its tests split into batches, each a pytest process given its share, up to the
 * concurrency at once. Then, as steps after the batches: each batch whose pytest stopped for want of bktec's plugin
 * runs again the way the plugin now allows ({@link PluginCapability}), and the tests a stopped process left (bktec
 * stopped it in a test past its timeout, or the kernel killed it) run in a new process, until none are left.
 */
final class BatchAttempt {
    private final RunContext context;
    private final BatchFiles files;
    private final PluginCapability plugin;
    private final BatchProcess processes;
    private final String runId;

    BatchAttempt(RunContext context, BatchFiles files, PluginCapability plugin, String runId) {
        this.context = context;
        this.files = files;
        this.plugin = plugin;
        this.processes = new BatchProcess(context, files, plugin);
        this.runId = runId;
    }

    /**
     * What an attempt's batches run with.
     *
     * @param nextIndex the highest batch index given so far: a process beside the planned batches takes the next
     */
    record Shared(AttemptPlan plan, AttemptProgress progress, AtomicInteger nextIndex) {
        /** @param highestIndex the highest batch index the attempt has given so far */
        static Shared of(AttemptPlan plan, int highestIndex) {
            return new Shared(plan, new AttemptProgress(plan.number(), System.nanoTime()),
                    new AtomicInteger(highestIndex));
        }
    }

    Mono<AttemptOutcome> run(AttemptPlan plan) {
        List<Batch> batches = split(plan);
        return Mono.fromCallable(() -> {
            context.listener().attemptStarting(plan.number(), context.options().retryCount(), plan.tests().size(),
                    plan.notRun(), batches.size());
            return Instant.now();
        }).flatMap(started -> {
            Shared shared = Shared.of(plan, batches.size());
            return runEach(batches, shared)
                    .expand(ran -> theRest(ran, shared))
                    .flatMapIterable(ran -> ran)
                    .collectList()
                    .map(outcomes -> new AttemptOutcome(plan.number(), outcomes, started, Instant.now()));
        });
    }

    /** The plan's tests in batches; tests that crashed their process last time in one of their own, last. */
    private List<Batch> split(AttemptPlan plan) {
        RunOptions options = context.options();
        List<String> shared = plan.tests().stream().filter(t -> !plan.isolated().contains(t)).toList();
        List<String> alone = plan.tests().stream().filter(plan.isolated()::contains).toList();
        // A runner that picks its own tests (pants) runs its whole command once per attempt.
        boolean whole = context.runner().runsWholeCommand();
        List<List<String>> groups = new ArrayList<>(whole ? List.of(List.of())
                : Batches.queue(shared, options.weight(), options.weightsKnown(), options.batchSize(),
                options.concurrency(), options.maxArgumentBytes()));
        if (!alone.isEmpty() && !whole) {
            groups.add(alone);
        }
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            batches.add(context.resultFiles().batch(plan.number(), i + 1, groups.size(), groups.get(i), false, ""));
        }
        return batches;
    }

    /**
     * Tests run once more, each alone in a process of its own beside the attempt's batches, one after another.
     *
     * @param after the highest batch index the attempt gave
     */
    Mono<List<BatchOutcome>> eachAlone(AttemptPlan plan, List<String> tests, int after, String note) {
        Shared shared = Shared.of(plan, after);
        return Flux.fromIterable(tests)
                .concatMap(test -> runEach(List.of(besides(shared, 0, List.of(test), note)), shared))
                .flatMapIterable(ran -> ran)
                .collectList();
    }

    /** A process beside the attempt's planned batches, with the next index. */
    private Batch besides(Shared shared, int of, List<String> tests, String note) {
        return context.resultFiles().batch(shared.plan().number(), shared.nextIndex().incrementAndGet(), of, tests,
                false, note);
    }

    /**
     * The batches, then, as the step after them, again each whose pytest stopped for want of bktec's plugin, the way
     * the plugin now allows (the batches that started after the first such stop already ran that way). Each batch's
     * final outcome is told as soon as it is known.
     */
    private Mono<List<BatchOutcome>> runEach(List<Batch> batches, Shared shared) {
        return runAll(batches, shared, false).flatMap(ran -> {
            List<BatchOutcome> outcomes = new ArrayList<>();
            List<Batch> again = new ArrayList<>();
            for (BatchProcess.Finished finished : ran) {
                if (finished.pluginMissing() == PluginMissing.NO) {
                    outcomes.add(finished.outcome());
                    continue;
                }
                Batch batch = finished.outcome().batch();
                context.listener().notice("running " + batch.label() + " again "
                        + (finished.pluginMissing() == PluginMissing.IMPORT_FAILED ? "without bktec's plugin"
                        : "with each test as an argument"));
                again.add(batch);
            }
            if (again.isEmpty()) {
                return Mono.just(outcomes);
            }
            return runAll(again, shared, true).map(rerun -> {
                rerun.forEach(finished -> outcomes.add(finished.outcome()));
                return outcomes;
            });
        });
    }

    /**
     * The batches' processes, up to the concurrency at once; above concurrency 1 each holds an identity slot of its
     * own while it runs.
     *
     * @param last whether these outcomes are final whatever they say (a batch run again is not run a third time)
     */
    private Mono<List<BatchProcess.Finished>> runAll(List<Batch> batches, Shared shared, boolean last) {
        int concurrency = context.options().concurrency();
        Optional<IdentitySlots> slots = concurrency > 1
                ? Optional.of(new IdentitySlots(Math.min(concurrency, batches.size()), runId)) : Optional.empty();
        return Flux.fromIterable(batches)
                .flatMap(batch -> inSlot(slots, identity -> once(batch, shared, identity)), concurrency, 1)
                .doOnNext(finished -> {
                    if (last || finished.pluginMissing() == PluginMissing.NO) {
                        context.listener().batchFinished(finished.outcome());
                    } else {
                        // at once, so that the batches not started yet start the way the plugin now allows
                        plugin.batchStopped(finished.pluginMissing()).ifPresent(context.listener()::notice);
                    }
                })
                .collectList();
    }

    private <T> Mono<T> inSlot(Optional<IdentitySlots> slots,
                               java.util.function.Function<Map<String, String>, Mono<T>> run) {
        return Mono.defer(() -> {
            Optional<IdentitySlots.Held> held = slots.map(IdentitySlots::take);
            Map<String, String> identity = held.map(h -> h.identity().environment()).orElse(Map.of());
            return run.apply(identity)
                    .doOnTerminate(() -> held.ifPresent(IdentitySlots.Held::giveBack))
                    .doOnCancel(() -> held.ifPresent(IdentitySlots.Held::giveBack));
        });
    }

    private Mono<BatchProcess.Finished> once(Batch batch, Shared shared, Map<String, String> identity) {
        return Mono.fromCallable(() -> files.prepare(batch, shared.plan().template()))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(argv -> context.listener().batchStarting(batch, argv))
                .flatMap(argv -> processes.run(batch, argv, shared.plan().reader(), shared.progress(), identity));
    }

    /**
     * The step after batches that bktec stopped in the middle of a test (a timeout) or the kernel killed (memory):
     * the tests each left run in a new process; empty when none are left.
     */
    private Mono<List<BatchOutcome>> theRest(List<BatchOutcome> ran, Shared shared) {
        if (context.registry().cancelled() || context.runner().runsWholeCommand()) {
            return Mono.empty();
        }
        List<Batch> rest = new ArrayList<>();
        for (BatchOutcome outcome : ran) {
            Optional<StreamOutcome> stream = outcome.stream();
            List<String> left = stream.map(StreamOutcome::notRun).orElse(List.of());
            if (stream.isEmpty() || left.isEmpty() || !(stream.get().ending() instanceof ProcessEnding.Interrupted
                    interrupted && interrupted.explainsTheExit())) {
                continue;
            }
            Batch next = besides(shared, outcome.batch().of(), left, "the rest of " + outcome.batch().label());
            context.listener().notice(interrupted.description() + ", so " + (left.size() == 1 ? "it runs" : "they run")
                    + " in a new process (batch " + next.index() + ")");
            rest.add(next);
        }
        return rest.isEmpty() ? Mono.empty() : runEach(rest, shared);
    }
}
