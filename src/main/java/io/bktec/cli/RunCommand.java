package io.bktec.cli;

import io.bktec.config.Config;
import io.bktec.plan.FileWeights;
import io.bktec.plan.PlanSource;
import io.bktec.plan.Task;
import io.bktec.plan.TestCase;
import io.bktec.plan.TestPlan;
import io.bktec.process.LinePrefixOutput;
import io.bktec.process.OutputSink;
import io.bktec.process.PassthroughOutput;
import io.bktec.process.ProcessGroups;
import io.bktec.process.ProcessRegistry;
import io.bktec.process.TestProcess;
import io.bktec.report.Console;
import io.bktec.report.ConsoleReporter;
import io.bktec.report.SummaryPrinter;
import io.bktec.run.Batch;
import io.bktec.run.Batches;
import io.bktec.run.ExitStatus;
import io.bktec.run.ResultFiles;
import io.bktec.run.RunOptions;
import io.bktec.run.RunPipeline;
import io.bktec.run.RunReport;
import io.bktec.runner.Runner;
import io.bktec.stream.PytestPlugin;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.TestStream;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.core.Exceptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/** `bktec run`: wires configuration, discovery, the plan and the pipeline, and turns the outcome into an exit code. */
final class RunCommand {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final CommandContext context;
    private final Map<String, String> env;
    private final Path workingDirectory;
    private final PrintStream out;
    private final PrintStream err;
    /** This run's temporary directory while it exists, so a forced exit can still remove it. */
    private final java.util.concurrent.atomic.AtomicReference<Path> liveTemporaryDirectory =
            new java.util.concurrent.atomic.AtomicReference<>();

    RunCommand(CommandContext context) {
        this.context = context;
        this.env = context.env;
        this.workingDirectory = context.workingDirectory;
        this.out = context.out;
        this.err = context.err;
    }

    int execute(Map<String, String> flags) {
        List<String> notices = new ArrayList<>();
        Optional<Config> loaded = context.config("run", flags, false, notices::add);
        if (loaded.isEmpty()) {
            return ExitStatus.CONFIG_ERROR;
        }
        Config config = loaded.get();
        Console console = context.console(config, out);
        console.expandedGroup("Buildkite Test Engine Client: bktec " + Version.current() + " (bktec-java)");
        notices.forEach(console::notice);
        if (console.debugging()) {
            console.debug("config: " + config); // a record's toString costs ~10 ms the first time
        }

        ProcessRegistry registry = new ProcessRegistry(config.cancelGracePeriod(), Schedulers.parallel(),
                ProcessGroups::signalGroup);
        Cancellation cancellation = new Cancellation(registry, config.cancelGracePeriod(), console, () -> {
            Path tmp = liveTemporaryDirectory.getAndSet(null);
            if (tmp != null) {
                cleanUp(tmp, config.debug(), console);
            }
        });
        cancellation.install();

        Mono<Integer> run = Mono.zip(
                        Mono.fromCallable(() -> context.testFilesFor(config, console)).subscribeOn(Schedulers.boundedElastic()),
                        Mono.fromCallable(() -> context.runner(config, console)).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(filesAndRunner -> planAndRun(config, console, registry, filesAndRunner.getT1(),
                        filesAndRunner.getT2()))
                .onErrorResume(e -> Mono.just(CommandContext.failure(Exceptions.unwrap(e), console, config.debug())));
        Integer code = Mono.firstWithSignal(run, cancellation.forcedExit()).block();
        return code == null ? ExitStatus.CONFIG_ERROR : code;
    }

    private Mono<Integer> planAndRun(Config config, Console console, ProcessRegistry registry, List<String> files,
                                     Runner runner) {
        if (runner.runsWholeCommand()) {
            Mono<java.util.Set<String>> muted = config.localMode() ? Mono.just(java.util.Set.of())
                    : ApiWiring.planSource(config, runner, console, env, workingDirectory).mutedTestsOnly();
            return muted.flatMap(keys -> {
                console.debug(keys.size() + " muted tests");
                TestPlan plan = new TestPlan("", config.parallelism(), java.util.Map.of(), keys, List.of(), config.localMode());
                return runTask(config, console, registry, runner, plan, List.of(), FileWeights.uniform());
            });
        }
        FileWeights weights = Durations.load(config, workingDirectory, console);
        PlanSource source = config.localMode() ? LocalPlanning.forRun(context, config, weights, console)
                : ApiWiring.planSource(config, runner, console, env, workingDirectory);
        console.notice(source.describe());
        return source.plan(files).flatMap(plan -> {
            Task task = plan.taskFor(config.parallelJob());
            long single = task.tests().stream().filter(t -> t.format().equals("example")).count();
            long whole = task.tests().size() - single;
            console.notice("split: " + files.size() + " test file" + (files.size() == 1 ? "" : "s") + " across "
                    + config.parallelism() + " node" + (config.parallelism() == 1 ? "" : "s") + "; node "
                    + config.parallelJob() + " runs " + (single == 0 ? task.tests().size() + "" : whole + " whole file"
                    + (whole == 1 ? "" : "s") + " and " + single + " single test" + (single == 1 ? "" : "s")));
            if (task.isEmpty()) {
                if (config.failOnNoTests()) {
                    return Mono.error(new UserError("no tests assigned to this node (BUILDKITE_PARALLEL_JOB="
                            + config.parallelJob() + "); unset BUILDKITE_TEST_ENGINE_FAIL_ON_NO_TESTS to allow it"));
                }
                console.group("bktec: no tests to run on this node");
                return Mono.just(0);
            }
            FileWeights nodeWeights = plan.local() ? weights : Durations.fromTask(task).orElse(weights);
            return runTask(config, console, registry, runner, plan, task.tests().stream().map(TestCase::runnable).toList(),
                    nodeWeights);
        });
    }

    private Mono<Integer> runTask(Config config, Console console, ProcessRegistry registry, Runner runner,
                                  TestPlan plan, List<String> tests, FileWeights weights) {
        return Mono.usingWhen(
                Mono.fromCallable(() -> new Workspace(registerTemporaryDirectory(),
                        config.resultPath().map(p -> ResultPathLock.acquire(Path.of(p), console))))
                        .subscribeOn(Schedulers.boundedElastic()),
                workspace -> {
                    Path tmp = workspace.temporaryDirectory();
                    Map<String, String> childEnvironment = childEnvironment();
                    ResultsStream streams = resultsStream(config, runner, tmp, childEnvironment, console);
                    ResultFiles resultFiles = new ResultFiles(workspace.resultLock().map(ResultPathLock::path), tmp,
                            runner.resultMode().extension());
                    RunOptions options = new RunOptions(config.retryCount(), config.retryMutedTests(),
                            config.batchSize(), config.concurrency(), Batches.DEFAULT_MAX_ARGUMENT_BYTES, weights::of,
                            weights.known(), config.workers());
                    Function<Batch, OutputSink> outputs = config.concurrency() == 1
                            ? batch -> new PassthroughOutput(out, err)
                            : batch -> new LinePrefixOutput(out, err, batch.label());
                    RunPipeline pipeline = new RunPipeline(runner, options,
                            new TestProcess(registry, childEnvironment, workingDirectory), registry, resultFiles,
                            new ConsoleReporter(console, runner.name(), config.concurrency()), outputs, workingDirectory,
                            streams);
                    return pipeline.run(tests, plan.mutedTests())
                            .flatMap(report -> {
                                int code = finish(report, plan, console);
                                if (config.writeDurations() && code <= 128) {
                                    Durations.write(config, workingDirectory, report, console);
                                }
                                boolean signalled = code > 128;
                                Mono<Void> metadata = plan.local() || signalled ? Mono.empty()
                                        : ApiWiring.sendMetadata(config, report, console);
                                Mono<Void> uploads = config.upload().isEmpty() || signalled ? Mono.empty()
                                        : ApiWiring.uploadResults(config, runner, report, console, env, workingDirectory);
                                Mono<Void> promise = signalled ? Mono.empty()
                                        : FailurePromise.forRun(config, report, env, workingDirectory, console);
                                return promise
                                        .then(Annotator.forRun(config, runner.name(), report, env, workingDirectory, console))
                                        .then(uploads).then(metadata)
                                        .then(Mono.fromRunnable(() -> {
                                            if (code != 0) {
                                                console.expandPreviousGroup(); // the log opens on the summary
                                            }
                                        }))
                                        .thenReturn(code);
                            });
                },
                workspace -> Mono.fromRunnable(() -> {
                            workspace.resultLock().ifPresent(ResultPathLock::close);
                            if (liveTemporaryDirectory.compareAndSet(workspace.temporaryDirectory(), null)) {
                                cleanUp(workspace.temporaryDirectory(), config.debug(), console);
                            }
                        })
                        .subscribeOn(Schedulers.boundedElastic()));
    }

    /** bktec's pytest plugin, written into the run's temporary directory, when the runner can take it. */
    private ResultsStream resultsStream(Config config, Runner runner, Path tmp, Map<String, String> childEnvironment,
                                        Console console) {
        if (!config.resultsStream() || !runner.takesResultsStream()) {
            return ResultsStream.off();
        }
        try {
            Path plugin = PytestPlugin.install(tmp);
            TestStream.ScopeStyle style = runner.resultMode() == io.bktec.runner.ResultMode.JUNIT
                    ? TestStream.ScopeStyle.JUNIT : TestStream.ScopeStyle.COLLECTOR;
            return ResultsStream.using(plugin, childEnvironment, style, workingDirectory);
        } catch (IOException e) {
            console.warning("could not write bktec's pytest plugin into " + tmp + " (" + e.getMessage()
                    + "); reading result files only");
            return ResultsStream.off();
        }
    }

    /** Where this run writes: its own temporary directory, and the user's result path if it holds it. */
    private record Workspace(Path temporaryDirectory, Optional<ResultPathLock> resultLock) {
    }

    private int finish(RunReport report, TestPlan plan, Console console) {
        if (console.debugging()) {
            console.debug("run finished: " + report.decision());
        }
        new SummaryPrinter(console).print(report.summary(), report.decision(), report.attempts().size(),
                plan.skippedTests().stream().map(TestCase::path).toList());
        return report.decision().code();
    }

    private Map<String, String> childEnvironment() {
        Map<String, String> childEnv = new HashMap<>(env);
        // The tests need the upload token (the collector uploads with it) but never bktec's API token.
        childEnv.remove("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN");
        boolean noColor = env.getOrDefault("NO_COLOR", "").length() > 0;
        if ("true".equals(env.get("BUILDKITE")) && !noColor && !env.containsKey("PY_COLORS")) {
            childEnv.put("PY_COLORS", "1"); // the job log renders colour though pytest sees no terminal
        }
        return childEnv;
    }

    private Path registerTemporaryDirectory() {
        try {
            Path tmp = temporaryDirectory();
            liveTemporaryDirectory.set(tmp);
            return tmp;
        } catch (IOException e) {
            throw new UserError("could not create a temporary directory (TMPDIR=" + env.getOrDefault("TMPDIR", "")
                    + "): " + e.getMessage());
        }
    }

    /**
     * A new private directory under TMPDIR. Not {@link Files#createTempDirectory}: its SecureRandom costs every run
     * ~15 ms of start-up, and an unguessable name adds nothing when mkdir fails on an existing name (another is
     * tried) and the directory is created readable by its owner only.
     */
    private Path temporaryDirectory() throws IOException {
        String tmp = env.get("TMPDIR");
        Path base = tmp == null || tmp.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(tmp);
        String prefix = "bktec-" + ProcessHandle.current().pid() + "-";
        for (int attempt = 0; ; attempt++) {
            Path candidate = base.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
            try {
                return Files.createDirectory(candidate, OWNER_ONLY);
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }

    private static void cleanUp(Path tmp, boolean debug, Console console) {
        if (debug) {
            console.debug("result files kept in " + tmp);
            return;
        }
        try (Stream<Path> paths = Files.walk(tmp)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            console.warning("could not remove " + tmp + ": " + e.getMessage());
        }
    }

}
