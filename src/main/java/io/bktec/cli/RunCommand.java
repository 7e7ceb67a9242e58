package io.bktec.cli;

import io.bktec.config.Config;
import io.bktec.config.ConfigException;
import io.bktec.config.ConfigLoader;
import io.bktec.discovery.DiscoveryException;
import io.bktec.discovery.FileDiscovery;
import io.bktec.discovery.RowFile;
import io.bktec.plan.LocalPlanSource;
import io.bktec.plan.PlanSource;
import io.bktec.plan.Task;
import io.bktec.plan.TestCase;
import io.bktec.plan.TestPlan;
import io.bktec.process.LinePrefixOutput;
import io.bktec.process.OutputSink;
import io.bktec.process.PassthroughOutput;
import io.bktec.process.ProcessGroups;
import io.bktec.process.ProcessRegistry;
import io.bktec.process.SignalTrap;
import io.bktec.process.Signals;
import io.bktec.process.TestProcess;
import io.bktec.report.Console;
import io.bktec.report.ConsoleReporter;
import io.bktec.report.Redactor;
import io.bktec.report.Style;
import io.bktec.report.SummaryPrinter;
import io.bktec.run.Batch;
import io.bktec.run.Batches;
import io.bktec.run.ExitStatus;
import io.bktec.run.ResultFiles;
import io.bktec.run.RunOptions;
import io.bktec.run.RunPipeline;
import io.bktec.run.RunReport;
import io.bktec.runner.CommandTemplate;
import io.bktec.runner.CommandTemplateException;
import io.bktec.runner.ProgramLocator;
import io.bktec.runner.Pytest;
import io.bktec.runner.CollectorProbe;
import io.bktec.runner.Runner;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.core.Exceptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** `bktec run`: wires configuration, discovery, the plan and the pipeline, and turns the outcome into an exit code. */
final class RunCommand {
    /** After the grace period's SIGKILL, how long processes get to be reaped before bktec stops waiting. */
    private static final Duration REAP_ALLOWANCE = Duration.ofMillis(800);

    private final Map<String, String> env;
    private final Path workingDirectory;
    private final PrintStream out;
    private final PrintStream err;
    private final CollectorProbe collectorProbe;

    RunCommand(Map<String, String> env, Path workingDirectory, PrintStream out, PrintStream err,
               CollectorProbe collectorProbe) {
        this.env = env;
        this.workingDirectory = workingDirectory;
        this.out = out;
        this.err = err;
        this.collectorProbe = collectorProbe;
    }

    int execute(Map<String, String> flags) {
        List<String> notices = new ArrayList<>();
        Config config;
        try {
            config = new ConfigLoader(flags, env).load(notices::add);
        } catch (ConfigException e) {
            err.println("bktec run: invalid configuration:");
            e.problems().forEach(err::println);
            return ExitStatus.CONFIG_ERROR;
        }
        List<String> secrets = new ArrayList<>();
        env.forEach((name, value) -> {
            if (Redactor.isSecretName(name)) {
                secrets.add(value);
            }
        });
        config.api().ifPresent(api -> secrets.add(api.accessToken()));
        secrets.add(config.uploadToken());
        boolean buildkite = "true".equals(env.get("BUILDKITE"));
        Console console = new Console(out, err, Style.detect(env, System.console() != null), buildkite,
                new Redactor(secrets), config.debug(), Main.START_NANOS);
        console.expandedGroup("Buildkite Test Engine Client: bktec " + Version.current() + " (bktec-java)");
        notices.forEach(console::notice);
        console.debug("config: " + config);
        if (!config.localMode()) {
            console.warning("Test Engine API mode is not available in this build yet; the plan is computed locally");
        }

        ProcessRegistry registry = new ProcessRegistry(config.cancelGracePeriod(), Schedulers.parallel(),
                ProcessGroups::signalGroup);
        Sinks.One<Integer> cancelled = Sinks.one();
        SignalTrap.install(signal -> {
            console.warning("received " + Signals.name(signal) + ": stopping test processes (they get "
                    + config.cancelGracePeriod().toMillis() + " ms before SIGKILL)");
            registry.cancel(signal);
            cancelled.tryEmitValue(signal);
        });

        Mono<Integer> run = Mono.zip(
                        Mono.fromCallable(() -> testFiles(config, console)).subscribeOn(Schedulers.boundedElastic()),
                        Mono.fromCallable(() -> runner(config, console)).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(filesAndRunner -> planAndRun(config, console, registry, filesAndRunner.getT1(),
                        filesAndRunner.getT2()))
                .onErrorResume(e -> Mono.just(failure(Exceptions.unwrap(e), console, config.debug())));
        Mono<Integer> forced = cancelled.asMono().flatMap(signal ->
                Mono.delay(config.cancelGracePeriod().plus(REAP_ALLOWANCE)).map(tick -> {
                    registry.killAll();
                    console.error("test processes did not finish after " + Signals.name(signal) + "; killed them");
                    return 128 + signal;
                }));
        Integer code = Mono.firstWithSignal(run, forced).block();
        return code == null ? ExitStatus.CONFIG_ERROR : code;
    }

    private List<String> testFiles(Config config, Console console) throws DiscoveryException {
        if (config.filesList().isPresent()) {
            List<String> rows = RowFile.read(workingDirectory, config.filesList().get());
            console.debug("read " + rows.size() + " test files from " + config.filesList().get());
            return rows;
        }
        String pattern = config.filePattern().orElse(Pytest.DEFAULT_PATTERN);
        List<String> files = new FileDiscovery(workingDirectory, console::warning).find(pattern, config.fileExcludePattern());
        console.debug("discovered " + files.size() + " test files matching \"" + pattern + "\"");
        if (files.isEmpty()) {
            throw new UserError("no test files found matching \"" + pattern + "\""
                    + (config.fileExcludePattern().isEmpty() ? "" : " (excluding \"" + config.fileExcludePattern() + "\")")
                    + " in " + workingDirectory + "; set BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN to match your tests");
        }
        return files;
    }

    private Runner runner(Config config, Console console) throws CommandTemplateException {
        ProgramLocator programs = new ProgramLocator(env.get("PATH"), workingDirectory);
        Pytest pytest = Pytest.configure(config.testCommand(), config.retryCommand(), collectorProbe, console::notice);
        console.debug("runner ready: " + pytest.resultMode().description());
        requireProgram(programs, pytest.testCommand(), "BUILDKITE_TEST_ENGINE_TEST_CMD");
        requireProgram(programs, pytest.retryCommand(), "BUILDKITE_TEST_ENGINE_RETRY_CMD");
        return pytest;
    }

    private static void requireProgram(ProgramLocator programs, CommandTemplate command, String variable) {
        if (programs.locate(command.program()).isEmpty()) {
            throw new UserError("command not found: " + command.program() + " (from the command \"" + command.text()
                    + "\"); install it, or set " + variable + " to a command that exists");
        }
    }

    private Mono<Integer> planAndRun(Config config, Console console, ProcessRegistry registry, List<String> files,
                                     Runner runner) {
        PlanSource source = new LocalPlanSource(config.parallelism());
        console.notice(source.describe());
        return source.plan(files).flatMap(plan -> {
            Task task = plan.taskFor(config.parallelJob());
            console.notice("split: " + files.size() + " test file" + (files.size() == 1 ? "" : "s") + " across "
                    + config.parallelism() + " node" + (config.parallelism() == 1 ? "" : "s") + "; node "
                    + config.parallelJob() + " runs " + task.tests().size());
            if (task.isEmpty()) {
                if (config.failOnNoTests()) {
                    return Mono.error(new UserError("no tests assigned to this node (BUILDKITE_PARALLEL_JOB="
                            + config.parallelJob() + "); unset BUILDKITE_TEST_ENGINE_FAIL_ON_NO_TESTS to allow it"));
                }
                console.group("bktec: no tests to run on this node");
                return Mono.just(0);
            }
            return runTask(config, console, registry, runner, plan, task);
        });
    }

    private Mono<Integer> runTask(Config config, Console console, ProcessRegistry registry, Runner runner,
                                  TestPlan plan, Task task) {
        return Mono.usingWhen(
                Mono.fromCallable(this::temporaryDirectory).subscribeOn(Schedulers.boundedElastic()),
                tmp -> {
                    ResultFiles resultFiles = new ResultFiles(config.resultPath().map(Path::of), tmp,
                            runner.resultMode().extension());
                    RunOptions options = new RunOptions(config.retryCount(), config.retryMutedTests(),
                            config.batchSize(), config.concurrency(), Batches.DEFAULT_MAX_ARGUMENT_BYTES);
                    Function<Batch, OutputSink> outputs = config.concurrency() == 1
                            ? batch -> new PassthroughOutput(out, err)
                            : batch -> new LinePrefixOutput(out, err, batch.label());
                    RunPipeline pipeline = new RunPipeline(runner, options,
                            new TestProcess(registry, childEnvironment(), workingDirectory), registry, resultFiles,
                            new ConsoleReporter(console, runner.name()), outputs, workingDirectory);
                    List<String> tests = task.tests().stream().map(TestCase::path).toList();
                    return pipeline.run(tests, plan.mutedTests()).map(report -> finish(report, console));
                },
                tmp -> Mono.fromRunnable(() -> cleanUp(tmp, config.debug(), console))
                        .subscribeOn(Schedulers.boundedElastic()));
    }

    private int finish(RunReport report, Console console) {
        console.debug("run finished: " + report.decision());
        new SummaryPrinter(console).print(report.summary(), report.decision(), report.attempts().size());
        return report.decision().code();
    }

    private Map<String, String> childEnvironment() {
        Map<String, String> childEnv = new HashMap<>(env);
        boolean noColor = env.getOrDefault("NO_COLOR", "").length() > 0;
        if ("true".equals(env.get("BUILDKITE")) && !noColor && !env.containsKey("PY_COLORS")) {
            childEnv.put("PY_COLORS", "1"); // the job log renders colour though pytest sees no terminal
        }
        return childEnv;
    }

    private Path temporaryDirectory() throws IOException {
        String tmp = env.get("TMPDIR");
        Path base = tmp == null || tmp.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(tmp);
        return Files.createTempDirectory(base, "bktec-");
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

    private static int failure(Throwable error, Console console, boolean debug) {
        if (error instanceof UserError || error instanceof DiscoveryException) {
            console.error(error.getMessage());
            return ExitStatus.CONFIG_ERROR;
        }
        if (error instanceof CommandTemplateException) {
            console.error("invalid test command: " + error.getMessage());
            return ExitStatus.CONFIG_ERROR;
        }
        console.error("internal error: " + error + (debug ? "" : " (set BUILDKITE_TEST_ENGINE_DEBUG_ENABLED=true for details)"));
        if (debug) {
            error.printStackTrace(console.err());
        }
        return ExitStatus.CONFIG_ERROR;
    }

}
