package io.bktec.run;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;
import io.bktec.results.ResultReader;
import io.bktec.results.TestResult;
import io.bktec.runner.CommandTemplate;
import io.bktec.stream.PluginMissing;
import io.bktec.stream.TestStream;
import io.bktec.worker.Dispatched;
import io.bktec.worker.Dispatcher;
import io.bktec.worker.PytestWorker;
import io.bktec.worker.WorkItem;
import io.bktec.worker.WorkQueue;
import io.bktec.worker.WorkerEnding;
import io.bktec.worker.WorkerEvent;
import io.bktec.worker.WorkerHandle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An attempt run by persistent pytest workers: N pytest processes that collect the attempt's tests once each and are
 * fed them a file at a time, longest first, by the {@link Dispatcher}. Each worker is a batch of the attempt (its own
 * result file and results stream), forked from the attempt's fork server ({@link AttemptForkServer}) when it has one.
 * Used above concurrency 1 when bktec's plugin is on; when pytest turns out not to load it, the first worker has run
 * everything as a plain pytest and the run goes on with batches.
 */
final class WorkerAttempt {
    private final RunContext context;
    private final RunOptions options;
    private final RunListener listener;
    private final BatchFiles files;
    private final PluginCapability plugin;
    private final String runId;
    /** Dead workers a run may replace: as many as it has slots. */
    private final AtomicInteger replacementsLeft;

    /** @param runId the run's id, which every worker's identity carries */
    WorkerAttempt(RunContext context, BatchFiles files, PluginCapability plugin, String runId) {
        this.context = context;
        this.options = context.options();
        this.listener = context.listener();
        this.files = files;
        this.plugin = plugin;
        this.runId = runId;
        this.replacementsLeft = new AtomicInteger(options.concurrency());
    }

    /**
     * One attempt's work, as its workers and its fork server need it.
     *
     * @param number   0 for the first run, k for the k-th retry
     * @param items    the work, in the order it is handed out
     * @param workers  how many workers run it
     * @param template the test command (the retry command on a retry)
     * @param runId    the run's id, which every worker's identity carries
     */
    record Work(int number, List<WorkItem> items, int workers, CommandTemplate template, String runId) {
        /** The files of the work, each once. */
        List<String> files() {
            return WorkerAttempt.files(items);
        }

        /** The identity the attempt's fork server starts up with: the first worker's. */
        Map<String, String> serverIdentity() {
            return new WorkerIdentity(0, workers, runId).environment();
        }
    }

    /** Whether these tests go to workers: concurrency above 1, the plugin on, no batch size, room in one argv. */
    boolean wanted(List<String> tests) {
        if (!options.workers() || options.concurrency() < 2 || options.batchSize() > 0 || !plugin.workersUsable()
                || !context.runner().takesResultsStream() || tests.size() < 2) {
            return false;
        }
        List<String> arguments = tests.stream().map(context.runner()::commandLineArgument).toList();
        if (Batches.split(arguments, 0, options.maxArgumentBytes()).size() > 1) {
            listener.notice("the tests are too many to give one worker on its command line; running them "
                    + "in batches");
            return false;
        }
        return true;
    }

    /** The work, longest first (plan order among equals), node ids grouped by file, crashed tests last. */
    static List<WorkItem> items(List<String> tests, Set<String> crashed, java.util.function.ToDoubleFunction<String> weight) {
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        List<String> wholeFiles = new ArrayList<>();
        for (String test : tests) {
            if (test.contains("::")) {
                byFile.computeIfAbsent(WorkItem.fileOf(test), f -> new ArrayList<>()).add(test);
            } else {
                wholeFiles.add(test);
            }
        }
        List<WorkItem> items = new ArrayList<>();
        List<WorkItem> last = new ArrayList<>();
        wholeFiles.forEach(file -> items.add(WorkItem.wholeFile(file, weight.applyAsDouble(file))));
        byFile.forEach((file, ids) -> {
            List<String> plain = ids.stream().filter(id -> !crashed.contains(id)).toList();
            if (!plain.isEmpty()) {
                items.add(new WorkItem(file, plain, plain.stream().mapToDouble(weight).sum()));
            }
            ids.stream().filter(crashed::contains).forEach(id -> last.add(new WorkItem(file, List.of(id),
                    weight.applyAsDouble(id))));
        });
        items.sort(Comparator.comparingDouble(item -> -item.weight())); // stable
        items.addAll(last);
        return items;
    }

    /**
     * Runs the attempt with workers; empty when pytest turned out not to load the plugin and its first worker's run
     * does not stand, so that the attempt runs again in batches.
     */
    Mono<Optional<AttemptOutcome>> run(AttemptPlan plan) {
        List<WorkItem> items = items(plan.tests(), plan.isolated(), options.weight());
        Work work = new Work(plan.number(), items, Math.min(options.concurrency(), items.size()), plan.template(),
                runId);
        return Mono.fromCallable(() -> {
            listener.attemptStartingWithWorkers(plan.number(), options.retryCount(), plan.tests().size(),
                    plan.notRun(), work.workers());
            return Instant.now();
        }).flatMap(started -> AttemptForkServer.around(context, files, plugin, work,
                start -> new Dispatch(work, plan.reader(), start).run(started)));
    }

    private static List<String> files(List<WorkItem> items) {
        return items.stream().map(WorkItem::file).distinct().toList();
    }

    /** One attempt's dispatch: its workers, each started the attempt's way, and what they come to. */
    private final class Dispatch {
        private final Work work;
        private final ResultReader reader;
        private final WorkerStart start;
        private final AttemptProgress progress;
        /** Each worker's identity as pytest-xdist gives it, above concurrency 1. */
        private final Optional<IdentitySlots> slots;

        Dispatch(Work work, ResultReader reader, WorkerStart start) {
            this.work = work;
            this.reader = reader;
            this.start = start;
            this.progress = new AttemptProgress(work.number(), System.nanoTime());
            this.slots = options.concurrency() > 1 ? Optional.of(new IdentitySlots(work.workers(), runId))
                    : Optional.empty();
        }

        /** Feeds the items to workers until they are done. */
        Mono<Optional<AttemptOutcome>> run(Instant started) {
            WorkQueue queue = new WorkQueue(work.items(), options.concurrency(), replacementsLeft.get());
            Dispatcher dispatcher = new Dispatcher(this::worker, listener::dispatch);
            return dispatcher.run(queue).map(done -> {
                replacementsLeft.addAndGet(-done.replacementsUsed());
                List<BatchOutcome> outcomes = done.finished().stream().map(PytestWorker.Finished::outcome).toList();
                if (done.firstEnding() == WorkerEnding.NO_STREAM) {
                    PluginCapability.NoWorkers noWorkers = plugin.firstWorkerHadNoStream(done.finished().stream()
                            .map(PytestWorker.Finished::pluginMissing).filter(how -> how != PluginMissing.NO)
                            .findFirst().orElse(PluginMissing.NO));
                    noWorkers.notice().ifPresent(listener::notice);
                    // Without the plugin the first "worker" ran everything itself, as a plain pytest.
                    return noWorkers.runStands()
                            ? Optional.of(new AttemptOutcome(work.number(), outcomes, started, Instant.now()))
                            : Optional.<AttemptOutcome>empty();
                }
                List<TestResult> lost = notRun(done, context.registry().cancelled() ? "not run: the job was cancelled"
                        : done.endedByItself()
                        ? "not run: a worker's session ended before running any test, so the dispatch stopped"
                        : "not run: its worker died and no worker was left to run it");
                return Optional.of(new AttemptOutcome(work.number(), outcomes, started, Instant.now(), lost));
            });
        }

        private WorkerHandle worker(int number, List<WorkItem> collecting, int replacing) {
            // The worker's files, never node ids: it imports a module only when a command names it, and a node id on
            // pytest's command line would need its module imported to be found.
            int attempt = work.number();
            Batch batch = context.resultFiles().batch(attempt, number, 0, files(collecting), true, "");
            if (replacing > 0) {
                listener.notice((attempt == 0 ? "" : "retry " + attempt + " ") + "w" + replacing + " died; w"
                        + number + " takes over the " + collecting.size() + " item"
                        + (collecting.size() == 1 ? "" : "s") + " left");
            }
            Optional<IdentitySlots.Held> identity = slots.map(s -> s.takeFor(number, replacing));
            PytestWorker worker = new PytestWorker(context.processes(), context.streams(), batch.streamFile(), () -> {
                WorkerStart.Started started = start.start(batch);
                listener.batchStarting(batch, started.command()); // the user's command, however the worker starts
                return identity.map(held -> started.launch().with(held.identity().environment()))
                        .orElse(started.launch());
            }, context.outputs().apply(batch), () -> listener.progress(progress),
                    (exit, stream) -> files.outcome(batch, exit, stream, reader));
            progress.add(worker.tests());
            return new WorkerHandle() {
                @Override
                public Flux<WorkerEvent> events() {
                    return worker.events()
                            .doOnNext(event -> {
                                if (event instanceof WorkerEvent.Exited exited) {
                                    identity.ifPresent(IdentitySlots.Held::giveBack); // before a replacement starts
                                    exited.finished().ifPresent(end -> listener.batchFinished(end.outcome()));
                                }
                            })
                            // a worker that fails before it ends (its files could not be written) gives its slot back
                            .doOnError(error -> identity.ifPresent(IdentitySlots.Held::giveBack));
                }

                @Override
                public void send(String command) {
                    worker.send(command);
                }
            };
        }

        /** Tests nobody ran (the workers ran out): their ids from what a worker collected, else the item itself. */
        private List<TestResult> notRun(Dispatched done, String reason) {
            if (done.lost().isEmpty()) {
                return List.of();
            }
            TestStream known = done.finished().stream().map(PytestWorker.Finished::tests)
                    .filter(TestStream::collectedKnown).findFirst().orElse(context.streams().newTestStream());
            List<TestResult> results = new ArrayList<>();
            for (WorkItem item : done.lost()) {
                List<String> ids = item.ids();
                if (item.wholeFile()) {
                    ids = known.collectedIds().stream().filter(id -> WorkItem.fileOf(id).equals(item.file())).toList();
                    if (ids.isEmpty()) {
                        ids = List.of(item.file());
                    }
                }
                ids.forEach(id -> results.add(known.notRun(id, reason)));
            }
            return results;
        }
    }
}
