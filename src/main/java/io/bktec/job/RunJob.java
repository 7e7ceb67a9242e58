package io.bktec.job;

import io.bktec.config.Config;
import io.bktec.jobretry.AgentMetaData;
import io.bktec.jobretry.JobRetry;
import io.bktec.outcome.Batch;
import io.bktec.plan.FileWeights;
import io.bktec.plan.PlanSource;
import io.bktec.plan.Task;
import io.bktec.plan.TestCase;
import io.bktec.plan.TestPlan;
import io.bktec.process.Cancellation;
import io.bktec.process.DirectStdout;
import io.bktec.process.LinePrefixOutput;
import io.bktec.process.NativeWarmUp;
import io.bktec.process.OutputSink;
import io.bktec.process.PassthroughOutput;
import io.bktec.process.ProcessGroups;
import io.bktec.process.ProcessRegistry;
import io.bktec.process.Signals;
import io.bktec.process.TestProcess;
import io.bktec.report.Console;
import io.bktec.report.ConsoleReporter;
import io.bktec.run.Batches;
import io.bktec.run.ResultFiles;
import io.bktec.run.RunContext;
import io.bktec.run.RunOptions;
import io.bktec.run.RunPipeline;
import io.bktec.runner.ResultMode;
import io.bktec.runner.Runner;
import io.bktec.stream.PytestPlugin;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.TestStream;
import io.bktec.watch.OomEvidence;
import io.bktec.watch.SignalledStacks;
import io.bktec.watch.TestWatch;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What `bktec run` does, as one chain: find the tests and the runner → plan → open the workspace → run this node's
 * share through the pipeline (retries included) → print the summary → deliver (durations, failure promise,
 * annotation, upload, metadata) → the exit status. A cancel races the chain and wins when the run cannot end in time.
 */
public final class RunJob {
    private final JobContext context;
    private final Map<String, String> env;
    private final Path workingDirectory;
    /** This run's temporary directory while it exists, so a forced exit can still remove it. */
    private final AtomicReference<Path> liveTemporaryDirectory = new AtomicReference<>();

    public RunJob(JobContext context) {
        this.context = context;
        this.env = context.env;
        this.workingDirectory = context.workingDirectory;
    }

    /**
     * A run starts test processes: the native process library (NuProcess, JNA) loads on another thread meanwhile, while
     * the command line and configuration are read, rather than on the first test's critical path.
     */
    public static void warmUp() {
        NativeWarmUp.start();
    }

    /** The run's exit status; user mistakes and faults arrive as errors, for the command line to report. */
    public Mono<Integer> run(Config config, Console console) {
        ProcessRegistry registry = new ProcessRegistry(config.processes().cancelGracePeriod(), Schedulers.parallel(),
                ProcessGroups::signalGroup);
        TestWatch watch = new TestWatch(config.processes().testTimeout(), Schedulers.parallel(), new SignalledStacks(),
                pid -> ProcessGroups.signalProcess(pid, Signals.SIGKILL), OomEvidence.forEnvironment(env));
        Cancellation cancellation = new Cancellation(registry, config.processes().cancelGracePeriod(), notices(console),
                watch::cancelling, () -> Workspace.removeLive(liveTemporaryDirectory, config.debug(), console));
        cancellation.install();
        Mono<Integer> run = Mono.zip(
                        Mono.fromCallable(() -> context.testFilesFor(config, console)).subscribeOn(Schedulers.boundedElastic()),
                        Mono.fromCallable(() -> context.runner(config, console)).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(filesAndRunner -> planAndRun(config, console, new Supervision(registry, watch),
                        filesAndRunner.getT1(), filesAndRunner.getT2()));
        // The watch first: firstWithSignal subscribes in order, so it is listening before the run starts anything.
        return Mono.firstWithSignal(FatalErrorWatch.escapedErrors(), run, cancellation.forcedExit());
    }

    private static Cancellation.Notices notices(Console console) {
        return new Cancellation.Notices() {
            @Override
            public void warning(String line) {
                console.warning(line);
            }

            @Override
            public void error(String line) {
                console.error(line);
            }

            @Override
            public void flush() {
                console.out().flush();
                console.err().flush();
            }
        };
    }

    /** What oversees the run's test processes: which run (and the cancel), and the watch over their tests. */
    private record Supervision(ProcessRegistry registry, TestWatch watch) {
    }

    private Mono<Integer> planAndRun(Config config, Console console, Supervision supervision, List<String> files,
                                     Runner runner) {
        if (runner.runsWholeCommand()) {
            Mono<Set<String>> muted = config.localMode() ? Mono.just(Set.of())
                    : ApiWiring.planSource(config, runner, console, env, workingDirectory).mutedTestsOnly();
            return muted.flatMap(keys -> {
                console.debug(keys.size() + " muted tests");
                TestPlan plan = new TestPlan("", config.plan().parallelism(), Map.of(), keys, List.of(), config.localMode());
                return runTask(config, console, supervision, runner, plan, List.of(), FileWeights.uniform(),
                        Optional.empty());
            });
        }
        FileWeights weights = Durations.load(config, workingDirectory, console);
        PlanSource source = config.localMode() ? LocalPlanning.forRun(context, config, weights, console)
                : ApiWiring.planSource(config, runner, console, env, workingDirectory);
        console.notice(source.describe());
        return source.plan(files).flatMap(plan -> {
            Task task = plan.taskFor(config.plan().parallelJob());
            console.notice("split: " + files.size() + " test file" + (files.size() == 1 ? "" : "s") + " across "
                    + config.plan().parallelism() + " node" + (config.plan().parallelism() == 1 ? "" : "s") + "; node "
                    + config.plan().parallelJob() + " runs " + share(task));
            if (task.isEmpty()) {
                if (config.plan().failOnNoTests()) {
                    return Mono.error(new UserError("no tests assigned to this node (BUILDKITE_PARALLEL_JOB="
                            + config.plan().parallelJob() + "); unset BUILDKITE_TEST_ENGINE_FAIL_ON_NO_TESTS to allow it"));
                }
                console.group("bktec: no tests to run on this node");
                return Mono.just(0);
            }
            FileWeights nodeWeights = plan.local() ? weights : Durations.fromTask(task).orElse(weights);
            List<String> share = task.tests().stream().map(TestCase::runnable).toList();
            if (!JobRetry.applies(config)) {
                return runTask(config, console, supervision, runner, plan, share, nodeWeights, Optional.empty());
            }
            JobRetry jobRetry = new JobRetry(config, new AgentMetaData(config.job().agentCommand(), env, workingDirectory));
            return Mono.fromCallable(() -> jobRetry.scope(share))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(scope -> {
                        scope.notice().ifPresent(console::notice);
                        return runTask(config, console, supervision, runner, plan, scope.tests(), nodeWeights,
                                Optional.of(new RunDelivery.JobRun(jobRetry, share, scope)));
                    });
        });
    }

    /** How much of the plan this node runs: whole files, and single tests of split files. */
    private static String share(Task task) {
        long single = task.tests().stream().filter(t -> t.format().equals("example")).count();
        long whole = task.tests().size() - single;
        return single == 0 ? Integer.toString(task.tests().size()) : whole + " whole file" + (whole == 1 ? "" : "s")
                + " and " + single + " single test" + (single == 1 ? "" : "s");
    }

    private Mono<Integer> runTask(Config config, Console console, Supervision supervision, Runner runner,
                                  TestPlan plan, List<String> tests, FileWeights weights, Optional<RunDelivery.JobRun> job) {
        return Mono.usingWhen(
                Mono.fromCallable(() -> Workspace.open(env, config.commands().resultPath(), console, liveTemporaryDirectory))
                        .subscribeOn(Schedulers.boundedElastic()),
                workspace -> {
                    Map<String, String> childEnvironment = ChildEnvironment.of(env, config.processes().concurrency(),
                            Runtime.getRuntime().availableProcessors());
                    Processes processes = new Processes(workspace, childEnvironment, resultsStream(config, runner,
                            workspace.temporaryDirectory(), childEnvironment, console, supervision.watch()));
                    return pipeline(config, console, supervision.registry(), runner, processes, weights)
                            .run(tests, plan.mutedTests())
                            .flatMap(report -> RunCoverage.judge(report, processes.streams(),
                                    workspace.temporaryDirectory(), childEnvironment, console))
                            .flatMap(report -> new RunDelivery(config, console, env, workingDirectory)
                                    .deliver(runner, plan, report, job));
                },
                workspace -> Mono.fromRunnable(() -> workspace.close(config.debug(), console))
                        .subscribeOn(Schedulers.boundedElastic()));
    }

    /** Where the run's test processes run, with what environment, and bktec's plugin in them. */
    private record Processes(Workspace workspace, Map<String, String> childEnvironment, ResultsStream streams) {
    }

    private RunPipeline pipeline(Config config, Console console, ProcessRegistry registry, Runner runner,
                                 Processes processes, FileWeights weights) {
        Workspace workspace = processes.workspace();
        Map<String, String> childEnvironment = processes.childEnvironment();
        ResultsStream streams = processes.streams();
        Path tmp = workspace.temporaryDirectory();
        ResultFiles resultFiles = new ResultFiles(workspace.resultPath(), tmp, runner.resultMode().extension());
        RunOptions options = new RunOptions(config.retry().count(), config.retry().muted(),
                config.processes().batchSize(), config.processes().concurrency(), Batches.DEFAULT_MAX_ARGUMENT_BYTES, weights::of,
                weights.known(), config.processes().workers(), config.processes().forkServer(), config.debug(), config.retry().maxFailures());
        // At concurrency 1 pytest may write straight to bktec's stdout, when that is the real one (not a test's).
        Optional<String> direct = config.processes().concurrency() == 1 && context.out == System.out
                ? DirectStdout.forChildren() : Optional.empty();
        Function<Batch, OutputSink> outputs = config.processes().concurrency() == 1
                ? batch -> new PassthroughOutput(context.out, context.err, direct)
                : batch -> new LinePrefixOutput(context.out, context.err, batch.label());
        return new RunPipeline(new RunContext(runner, options, new TestProcess(registry, childEnvironment,
                workingDirectory), registry, resultFiles, new ConsoleReporter(console, runner.name(),
                config.processes().concurrency()), outputs, workingDirectory, streams));
    }

    /** bktec's pytest plugin, written into the run's temporary directory, when the runner can take it. */
    private ResultsStream resultsStream(Config config, Runner runner, Path tmp, Map<String, String> childEnvironment,
                                        Console console, TestWatch watch) {
        if (!config.processes().resultsStream() || !runner.takesResultsStream()) {
            if (!config.processes().testTimeout().isZero()) {
                console.notice("BUILDKITE_TEST_ENGINE_TEST_TIMEOUT needs bktec's pytest plugin to see which test runs "
                        + "and since when, and " + (runner.takesResultsStream()
                        ? "BUILDKITE_TEST_ENGINE_RESULTS_STREAM is false" : runner.name() + " does not take it")
                        + ": no test timeout applies");
            }
            return ResultsStream.off();
        }
        try {
            Path plugin = PytestPlugin.install(tmp);
            TestStream.ScopeStyle style = runner.resultMode() == ResultMode.JUNIT
                    ? TestStream.ScopeStyle.JUNIT : TestStream.ScopeStyle.COLLECTOR;
            return ResultsStream.using(plugin, childEnvironment, style, workingDirectory, watch);
        } catch (IOException e) {
            console.warning("could not write bktec's pytest plugin into " + tmp + " (" + e.getMessage()
                    + "); reading result files only");
            return ResultsStream.off();
        }
    }

}
