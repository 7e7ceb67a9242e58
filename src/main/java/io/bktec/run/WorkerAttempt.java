package io.bktec.run;

import io.bktec.results.ResultReader;
import io.bktec.results.TestResult;
import io.bktec.runner.CommandTemplate;
import io.bktec.stream.PluginMissing;
import io.bktec.stream.StreamEvent;
import io.bktec.stream.TestStream;
import io.bktec.worker.Dispatcher;
import io.bktec.worker.PytestWorker;
import io.bktec.worker.WorkItem;
import io.bktec.worker.WorkQueue;
import io.bktec.worker.WorkerHandle;
import io.bktec.worker.WorkerListener;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final String runId;
    /** Dead workers a run may replace: as many as it has slots. */
    private final AtomicInteger replacementsLeft;
    private final AtomicBoolean unavailable = new AtomicBoolean();

    /** @param runId the run's id, which every worker's identity carries */
    WorkerAttempt(RunContext context, BatchFiles files, String runId) {
        this.context = context;
        this.options = context.options();
        this.listener = context.listener();
        this.files = files;
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
        if (!options.workers() || options.concurrency() < 2 || options.batchSize() > 0 || !context.streams().on()
                || !context.runner().takesResultsStream() || unavailable.get() || tests.size() < 2) {
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
     * Runs the attempt with workers; empty when pytest could not import the plugin at all, so that the attempt runs
     * again in batches (without the plugin).
     */
    Mono<Optional<AttemptOutcome>> run(int attempt, List<String> tests, int notRun, Set<String> crashed,
                                       CommandTemplate template, ResultReader reader) {
        List<WorkItem> items = items(tests, crashed, options.weight());
        Work work = new Work(attempt, items, Math.min(options.concurrency(), items.size()), template, runId);
        return Mono.fromCallable(() -> {
            listener.attemptStartingWithWorkers(attempt, options.retryCount(), tests.size(), notRun, work.workers());
            return Instant.now();
        }).flatMap(started -> AttemptForkServer.around(context, files, work,
                start -> new Dispatch(work, reader, start).run(started)));
    }

    private static List<String> files(List<WorkItem> items) {
        return items.stream().map(WorkItem::file).distinct().toList();
    }

    /** One attempt's dispatch: its workers, each started the attempt's way, and what they report. */
    private final class Dispatch {
        private final Work work;
        private final ResultReader reader;
        private final WorkerStart start;
        private final List<BatchOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        private final List<PytestWorker.Finished> finished = Collections.synchronizedList(new ArrayList<>());
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
                if (done.firstEnding() == WorkQueue.Ending.NO_STREAM && !explainNoStream()) {
                    return Optional.<AttemptOutcome>empty();
                }
                // Without the plugin the first "worker" ran everything itself; otherwise what nobody ran is named.
                List<TestResult> lost = done.firstEnding() == WorkQueue.Ending.NO_STREAM ? List.of()
                        : notRun(done.lost(), context.registry().cancelled() ? "not run: the job was cancelled"
                        : done.endedByItself()
                        ? "not run: a worker's session ended before running any test, so the dispatch stopped"
                        : "not run: its worker died and no worker was left to run it");
                return Optional.of(new AttemptOutcome(work.number(), outcomes, started, Instant.now(), lost));
            });
        }

        /**
         * The first worker had no stream: workers are off from now on, and the user is told why.
         *
         * @return whether its run stands (it ran every test as a plain pytest); false to run the attempt in batches
         */
        private boolean explainNoStream() {
            unavailable.set(true);
            if (missing(PluginMissing.OPTION_UNKNOWN)) {
                if (files.stopPlanning()) {
                    listener.notice(PluginMissing.OPTION_UNKNOWN_NOTICE);
                }
                return false;
            }
            if (missing(PluginMissing.IMPORT_FAILED)) {
                if (context.streams().turnOff()) {
                    listener.notice("pytest could not import bktec's plugin (the test command sets "
                            + "PYTHONPATH itself but keeps PYTEST_PLUGINS), so there are no workers: "
                            + "running the tests in batches without the plugin. Add to PYTHONPATH instead "
                            + "of replacing it, or set BUILDKITE_TEST_ENGINE_RESULTS_STREAM=false");
                }
                return false;
            }
            listener.notice("pytest did not load bktec's plugin, so there are no workers: the first "
                    + "one ran all of this node's tests as a single pytest; later attempts use batches");
            return true;
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
            }, context.outputs().apply(batch), new WorkerListener() {
                @Override
                public void event(StreamEvent event) {
                    listener.progress(progress);
                }

                @Override
                public void finished(PytestWorker.Finished end) {
                    identity.ifPresent(IdentitySlots.Held::giveBack); // before its replacement can start
                    finished.add(end);
                    BatchOutcome outcome = files.outcome(batch, end.exit(), end.stream(), reader);
                    outcomes.add(outcome);
                    listener.batchFinished(outcome);
                }
            });
            progress.add(worker.tests());
            return identity.isEmpty() ? worker : new WorkerHandle() {
                @Override
                public reactor.core.publisher.Flux<io.bktec.worker.WorkerEvent> events() {
                    // a worker that fails before it ends (its files could not be written) gives its slot back too
                    return worker.events().doOnError(error -> identity.get().giveBack());
                }

                @Override
                public void send(String command) {
                    worker.send(command);
                }
            };
        }

        private boolean missing(PluginMissing how) {
            return finished.stream().anyMatch(f -> f.pluginMissing() == how);
        }

        /** Tests nobody ran (the workers ran out): their ids from what a worker collected, else the item itself. */
        private List<TestResult> notRun(List<WorkItem> lost, String reason) {
            if (lost.isEmpty()) {
                return List.of();
            }
            TestStream known = finished.stream().map(PytestWorker.Finished::tests).filter(TestStream::collectedKnown)
                    .findFirst().orElse(context.streams().newTestStream());
            List<TestResult> results = new ArrayList<>();
            for (WorkItem item : lost) {
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
