package io.bktec.run;

import io.bktec.process.OutputSink;
import io.bktec.process.ProcessLauncher;
import io.bktec.results.ResultReader;
import io.bktec.results.TestResult;
import io.bktec.runner.CommandTemplate;
import io.bktec.runner.Runner;
import io.bktec.stream.PluginMissing;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.TestStream;
import io.bktec.worker.Dispatcher;
import io.bktec.worker.ForkServer;
import io.bktec.worker.PytestWorker;
import io.bktec.worker.WorkItem;
import io.bktec.worker.WorkQueue;
import io.bktec.worker.WorkerHandle;
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
import java.util.function.Function;

/**
 * An attempt run by persistent pytest workers: N pytest processes that collect the attempt's tests once each and are
 * fed them a file at a time, longest first, by the {@link Dispatcher}. Each worker is a batch of the attempt (its own
 * result file and results stream), forked from the attempt's fork server ({@link AttemptForkServer}) when it has one.
 * Used above concurrency 1 when bktec's plugin is on; when pytest turns out not to load it, the first worker has run
 * everything as a plain pytest and the run goes on with batches.
 */
final class WorkerAttempt {
    private final Runner runner;
    private final RunOptions options;
    private final ProcessLauncher processes;
    private final ResultFiles resultFiles;
    private final RunListener listener;
    private final Function<Batch, OutputSink> outputs;
    private final ResultsStream streams;
    private final BatchFiles files;
    /** Dead workers a run may replace: as many as it has slots. */
    private final AtomicInteger replacementsLeft;
    private final AtomicBoolean unavailable = new AtomicBoolean();

    WorkerAttempt(Runner runner, RunOptions options, ProcessLauncher processes, ResultFiles resultFiles,
                  RunListener listener, Function<Batch, OutputSink> outputs, ResultsStream streams, BatchFiles files) {
        this.runner = runner;
        this.options = options;
        this.processes = processes;
        this.resultFiles = resultFiles;
        this.listener = listener;
        this.outputs = outputs;
        this.streams = streams;
        this.files = files;
        this.replacementsLeft = new AtomicInteger(options.concurrency());
    }

    /** Whether these tests go to workers: concurrency above 1, the plugin on, no batch size, room in one argv. */
    boolean wanted(List<String> tests) {
        if (!options.workers() || options.concurrency() < 2 || options.batchSize() > 0 || !streams.on()
                || !runner.takesResultsStream() || unavailable.get() || tests.size() < 2) {
            return false;
        }
        List<String> arguments = tests.stream().map(runner::commandLineArgument).toList();
        if (Batches.split(arguments, 0, options.maxArgumentBytes()).size() > 1) {
            listener.streamNotice("the tests are too many to give one worker on its command line; running them "
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
        int workers = Math.min(options.concurrency(), items.size());
        Optional<AttemptForkServer> server = AttemptForkServer.of(attempt, files(items), workers, template, options,
                processes, resultFiles, streams, files, listener, outputs);
        return Mono.fromCallable(() -> {
            listener.attemptStartingWithWorkers(attempt, options.retryCount(), tests.size(), notRun, workers);
            return Instant.now();
        }).flatMap(started -> server.isEmpty() ? dispatch(attempt, template, reader, items, started, Optional.empty())
                : server.get().around(forked -> dispatch(attempt, template, reader, items, started, forked)));
    }

    private static List<String> files(List<WorkItem> items) {
        return items.stream().map(WorkItem::file).distinct().toList();
    }

    /** Feeds the items to workers (forked from the server when there is one) until they are done. */
    private Mono<Optional<AttemptOutcome>> dispatch(int attempt, CommandTemplate template, ResultReader reader,
                                                    List<WorkItem> items, Instant started,
                                                    Optional<AttemptForkServer.Forked> forked) {
        WorkQueue queue = new WorkQueue(items, options.concurrency(), replacementsLeft.get());
        List<BatchOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<PytestWorker.Finished> finished = Collections.synchronizedList(new ArrayList<>());
        AttemptProgress progress = new AttemptProgress(attempt, System.nanoTime());
        Dispatcher dispatcher = new Dispatcher((number, collecting, replacing) -> start(attempt, number, collecting,
                replacing, template, reader, progress, outcomes, finished, forked), listener::dispatch);
        return dispatcher.run(queue).map(done -> {
            replacementsLeft.addAndGet(-done.replacementsUsed());
            if (done.firstEnding() == WorkQueue.Ending.NO_STREAM) {
                unavailable.set(true);
                if (missing(finished, PluginMissing.OPTION_UNKNOWN)) {
                    if (files.stopPlanning()) {
                        listener.streamNotice(PluginMissing.OPTION_UNKNOWN_NOTICE);
                    }
                    return Optional.<AttemptOutcome>empty();
                }
                if (missing(finished, PluginMissing.IMPORT_FAILED)) {
                    if (streams.turnOff()) {
                        listener.streamNotice("pytest could not import bktec's plugin (the test command sets "
                                + "PYTHONPATH itself but keeps PYTEST_PLUGINS), so there are no workers: "
                                + "running the tests in batches without the plugin. Add to PYTHONPATH instead "
                                + "of replacing it, or set BUILDKITE_TEST_ENGINE_RESULTS_STREAM=false");
                    }
                    return Optional.<AttemptOutcome>empty();
                }
                listener.streamNotice("pytest did not load bktec's plugin, so there are no workers: the first "
                        + "one ran all of this node's tests as a single pytest; later attempts use batches");
            }
            // Without the plugin the first "worker" ran everything itself; otherwise what nobody ran is named.
            List<TestResult> lost = done.firstEnding() == WorkQueue.Ending.NO_STREAM ? List.of()
                    : notRun(done.lost(), finished, done.endedByItself()
                    ? "not run: a worker's session ended before running any test, so the dispatch stopped"
                    : "not run: its worker died and no worker was left to run it");
            return Optional.of(new AttemptOutcome(attempt, outcomes, started, Instant.now(), lost));
        });
    }

    private WorkerHandle start(int attempt, int number, List<WorkItem> collecting, int replacing,
                               CommandTemplate template, ResultReader reader, AttemptProgress progress,
                               List<BatchOutcome> outcomes, List<PytestWorker.Finished> finished,
                               Optional<AttemptForkServer.Forked> forked) {
        // The worker's files, never node ids: it imports a module only when a command names it, and a node id on
        // pytest's command line would need its module imported to be found.
        List<String> arguments = files(collecting);
        Batch batch = new Batch(attempt, number, 0, arguments, resultFiles.forBatch(attempt, number),
                resultFiles.streamFor(attempt, number), true);
        if (replacing > 0) {
            listener.streamNotice((attempt == 0 ? "" : "retry " + attempt + " ") + "w" + replacing + " died; w" + number
                    + " takes over the " + collecting.size() + " item" + (collecting.size() == 1 ? "" : "s")
                    + " left");
        }
        Map<String, String> environment = new java.util.HashMap<>(streams.environment(batch.streamFile()).orElseThrow());
        List<ForkServer.Substitution> substitutions = forked.map(f -> f.substitutions(batch)).orElse(List.of());
        forked.ifPresent(f -> environment.putAll(f.clientEnvironment(substitutions)));
        PytestWorker worker = new PytestWorker(processes, () -> {
            List<String> argv = forked.isEmpty() ? files.prepare(batch, template, true)
                    : forked.get().command(batch, template);
            listener.batchStarting(batch, argv); // the user's command, however the worker is started
            return forked.map(f -> f.launched(argv, substitutions)).orElse(argv);
        }, environment, outputs.apply(batch), streams, batch.streamFile(),
                PytestWorker.POLL_PERIOD, event -> listener.progress(progress), end -> {
            finished.add(end);
            BatchOutcome outcome = files.outcome(batch, end.exit(), end.stream(), reader);
            outcomes.add(outcome);
            listener.batchFinished(outcome);
        });
        progress.add(worker.tests());
        return worker;
    }

    private static boolean missing(List<PytestWorker.Finished> finished, PluginMissing how) {
        return finished.stream().anyMatch(f -> f.pluginMissing() == how);
    }

    /** Tests nobody ran (the workers ran out): their ids from what a worker collected, else the item itself. */
    private List<TestResult> notRun(List<WorkItem> lost, List<PytestWorker.Finished> finished, String reason) {
        if (lost.isEmpty()) {
            return List.of();
        }
        TestStream known = finished.stream().map(PytestWorker.Finished::tests).filter(TestStream::collectedKnown)
                .findFirst().orElse(streams.newTestStream());
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
