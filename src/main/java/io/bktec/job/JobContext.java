package io.bktec.job;

import io.bktec.api.AgentOidcMinter;
import io.bktec.config.Config;
import io.bktec.config.ConfigException;
import io.bktec.config.ConfigLoader;
import io.bktec.discovery.DiscoveryException;
import io.bktec.discovery.DiscoveryRequest;
import io.bktec.discovery.DiscoveryResult;
import io.bktec.discovery.FileDiscovery;
import io.bktec.discovery.PytestCollectionConfig;
import io.bktec.discovery.PytestConfigReader;
import io.bktec.discovery.RowFile;
import io.bktec.report.Console;
import io.bktec.report.Redactor;
import io.bktec.report.Style;
import io.bktec.runner.CollectorProbe;
import io.bktec.runner.CollectorVersion;
import io.bktec.runner.CommandTemplate;
import io.bktec.runner.CommandTemplateException;
import io.bktec.runner.ProbeCache;
import io.bktec.runner.ProgramLocator;
import io.bktec.runner.Pytest;
import io.bktec.runner.PytestPants;
import io.bktec.runner.PythonCollectorProbe;
import io.bktec.runner.Runner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a bktec command works, and what `run` and `plan` both set up there: the console, the test files (a list, or
 * discovery where pytest would collect) and the runner, checked before anything runs.
 */
public final class JobContext implements AutoCloseable {
    final Map<String, String> env;
    final Path workingDirectory;
    final PrintStream out;
    final PrintStream err;
    private final CollectorProbe collectorProbe;
    private final long startNanos;

    /** @param startNanos when bktec started, for debug timings */
    public JobContext(Map<String, String> env, Path workingDirectory, PrintStream out, PrintStream err,
                      CollectorProbe collectorProbe, long startNanos) {
        this.env = env;
        this.workingDirectory = workingDirectory;
        this.out = out;
        this.err = err;
        this.collectorProbe = collectorProbe;
        this.startNanos = startNanos;
    }

    /**
     * A bktec command's context in this process, with Python's collector probe: started at once when the command will
     * likely ask it (so that Python's start-up overlaps the JVM's), else only when first asked. Closing the context
     * kills a probe that was started and never asked.
     *
     * @param runsOrPlans the command runs or plans tests (not help, not the version)
     */
    public static JobContext open(Map<String, String> env, Path workingDirectory, PrintStream out, PrintStream err,
                                  long startNanos, boolean runsOrPlans) {
        ProgramLocator programs = new ProgramLocator(env.get("PATH"), workingDirectory);
        Optional<ProbeCache> cache = ProbeCache.forEnvironment(env, "collector-probe");
        PythonCollectorProbe probe = runsOrPlans && asksPython(env)
                ? PythonCollectorProbe.start(programs, workingDirectory, env, cache)
                : PythonCollectorProbe.lazy(programs, workingDirectory, env, cache);
        return new JobContext(env, workingDirectory, out, err, probe, startNanos);
    }

    /** Whether a pytest run or plan will ask Python about the collector: its command does not name its result format. */
    static boolean asksPython(Map<String, String> env) {
        String runner = env.getOrDefault("BUILDKITE_TEST_ENGINE_TEST_RUNNER", "");
        String testCommand = env.getOrDefault("BUILDKITE_TEST_ENGINE_TEST_CMD", "");
        return !runner.equals("pytest-pants") && !testCommand.contains("--junit-xml");
    }

    @Override
    public void close() {
        if (collectorProbe instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // a probe that cannot be stopped is a process bktec's own exit ends
            }
        }
    }

    /**
     * The command's configuration from its flags and the environment, with OIDC tokens minted through the agent
     * ({@code --buildkite-agent-command}).
     *
     * @throws ConfigException naming every problem, for the command line to print
     */
    public Config config(Map<String, String> flags, boolean forPlan, Consumer<String> notices) throws ConfigException {
        AgentOidcMinter minter = new AgentOidcMinter(flags.getOrDefault("buildkite-agent-command", "buildkite-agent"));
        ConfigLoader loader = new ConfigLoader(flags, env, minter::mint);
        return forPlan ? loader.loadForPlan(notices) : loader.load(notices);
    }

    public Map<String, String> env() {
        return env;
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** A console whose narrative goes to {@code narrative} (stdout for run, stderr for plan), secrets redacted. */
    public Console console(Config config, PrintStream narrative) {
        List<String> secrets = new ArrayList<>();
        env.forEach((name, value) -> {
            if (Redactor.isSecretName(name)) {
                secrets.add(value);
            }
        });
        config.api().ifPresent(api -> secrets.add(api.accessToken().value()));
        secrets.add(config.upload().token().value());
        boolean buildkite = "true".equals(env.get("BUILDKITE"));
        return new Console(narrative, err, Style.detect(env, System.console() != null), buildkite,
                new Redactor(secrets), config.debug(), startNanos);
    }

    /**
     * The test files: a files list when one is given, else discovery where pytest would collect.
     *
     * @param showSkipped list the directories left out (`bktec plan` does; `run` only with --debug)
     */
    public List<String> testFiles(Config config, Console console, boolean showSkipped) throws DiscoveryException {
        Optional<String> rowFile = config.files().selectorFile().or(() -> config.files().list());
        if (rowFile.isPresent()) {
            List<String> rows = RowFile.read(workingDirectory, rowFile.get());
            console.debug("read " + rows.size() + " tests from " + rowFile.get());
            return rows;
        }
        PytestCollectionConfig pytest = new PytestConfigReader(console::warning).read(workingDirectory, env);
        console.debug("pytest's configuration: " + pytest.configFile().map(Path::toString).orElse("none found")
                + ", rootdir " + pytest.rootdir() + (pytest.testpathsApply(workingDirectory)
                ? ", testpaths " + pytest.testpaths() : ""));
        DiscoveryResult result = new FileDiscovery(workingDirectory, console::warning).find(
                new DiscoveryRequest(config.files().pattern(), config.files().excludePattern(), pytest));
        reportSkipped(result, console, showSkipped);
        List<String> files = result.files();
        String described = config.files().pattern().map(p -> "matching \"" + p + "\"")
                .orElse("matching python_files " + pytest.pythonFiles());
        console.debug("discovered " + files.size() + " test files " + described);
        if (files.isEmpty()) {
            throw new UserError("no test files found " + described
                    + (config.files().excludePattern().isEmpty() ? "" : " (excluding \"" + config.files().excludePattern() + "\")")
                    + " in " + workingDirectory
                    + (pytest.testpathsApply(workingDirectory) ? " under testpaths " + pytest.testpaths() : "")
                    + "; set BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN to match your tests");
        }
        return files;
    }

    private static final int SKIPPED_SHOWN = 10;

    /** One line per directory left out (ten at most, then a count); a skipped virtualenv is told even without debug. */
    private static void reportSkipped(DiscoveryResult result, Console console, boolean showSkipped) {
        List<DiscoveryResult.Skipped> skipped = result.skipped();
        java.util.function.Consumer<String> line = showSkipped ? console::notice : console::debug;
        if (showSkipped || console.debugging()) {
            skipped.stream().limit(SKIPPED_SHOWN).forEach(s -> line.accept("skipped " + s.path() + ": " + s.reason()));
            if (skipped.size() > SKIPPED_SHOWN) {
                line.accept("… and " + (skipped.size() - SKIPPED_SHOWN) + " more skipped");
            }
        } else if (!result.virtualenvs().isEmpty()) {
            List<DiscoveryResult.Skipped> environments = result.virtualenvs();
            console.notice("skipped " + (environments.size() == 1 ? "a virtual environment, " + environments.get(0).path()
                    : environments.size() + " virtual environments (" + environments.get(0).path() + ", …)")
                    + ", as pytest does; a test file pattern naming it walks it anyway");
        }
    }

    public Runner runner(Config config, Console console) throws CommandTemplateException {
        ProgramLocator programs = new ProgramLocator(env.get("PATH"), workingDirectory);
        Runner runner = switch (config.runner()) {
            case PYTEST -> Pytest.configure(config.commands().test(), config.commands().retry(), collectorProbe,
                    config.processes().resultsStream(), console::notice);
            case PYTEST_PANTS -> PytestPants.configure(config.commands().test(), config.commands().retry(), config.plan().parallelJob(),
                    config.plan().parallelism(), config.files().pattern().isPresent() || !config.files().excludePattern().isEmpty(),
                    console::notice);
        };
        requireProgram(programs, runner.testCommand(), "BUILDKITE_TEST_ENGINE_TEST_CMD");
        requireProgram(programs, runner.retryCommand(), "BUILDKITE_TEST_ENGINE_RETRY_CMD");
        if (config.files().tagFilter().isPresent()) {
            requireTagFilteringCollector(programs);
        }
        console.debug("runner ready: " + runner.name() + ", results as " + runner.resultMode().description());
        return runner;
    }

    /** Test files to plan: none for a runner that picks its own tests. */
    public List<String> testFilesFor(Config config, Console console) throws DiscoveryException {
        return config.runner() == io.bktec.config.RunnerName.PYTEST_PANTS ? List.of() : testFiles(config, console, false);
    }

    /** Tag filters are the collector's --tag-filters at collection: without a collector that has it, none apply. */
    private void requireTagFilteringCollector(ProgramLocator programs) {
        String fix = "; install one with pip install 'buildkite-test-collector>1.2.0', or unset "
                + "BUILDKITE_TEST_ENGINE_TAG_FILTERS";
        if (!collectorProbe.collectorInstalled()) {
            throw new UserError("BUILDKITE_TEST_ENGINE_TAG_FILTERS needs buildkite-test-collector, whose --tag-filters "
                    + "option chooses the tests, and it is not installed" + fix);
        }
        Optional<String> version = CollectorVersion.installed(programs, workingDirectory);
        if (version.isEmpty() || !CollectorVersion.filtersTags(version.get())) {
            throw new UserError("BUILDKITE_TEST_ENGINE_TAG_FILTERS needs buildkite-test-collector newer than 1.2.0 "
                    + "(installed: " + version.orElse("a version Python's package metadata does not give") + ")" + fix);
        }
    }

    private static void requireProgram(ProgramLocator programs, CommandTemplate command, String variable) {
        if (programs.locate(command.program()).isEmpty()) {
            throw new UserError("command not found: " + command.program() + " (from the command \"" + command.text()
                    + "\"); install it, or set " + variable + " to a command that exists");
        }
    }
}
