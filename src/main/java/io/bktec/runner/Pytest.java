package io.bktec.runner;

import io.bktec.results.ResultReader;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * pytest, with results from buildkite-test-collector's JSON when the collector is installed and pytest's JUnit XML
 * otherwise. A user's command chooses the format by its flags ({@code --junit-xml…} or {@code --json=…}).
 */
public final class Pytest implements Runner {
    static final String JSON_COMMAND = "pytest {{testExamples}} --json={{resultPath}}";
    static final String JUNIT_COMMAND = "pytest {{testExamples}} --junit-xml={{resultPath}}";

    private final RunnerCommands commands;

    private Pytest(ResultMode mode, CommandTemplate testCommand, CommandTemplate retryCommand) {
        this.commands = new RunnerCommands(mode, testCommand, retryCommand);
    }

    /**
     * Picks the result mode and commands. The probe runs only when the command leaves the format open.
     *
     * @param notices receives one-line notes for the user (which mode, and why)
     */
    public static Pytest configure(Optional<String> userTestCommand, Optional<String> userRetryCommand,
                                   CollectorProbe probe, Consumer<String> notices) throws CommandTemplateException {
        return configure(userTestCommand, userRetryCommand, probe, false, notices);
    }

    /**
     * @param resultsStream whether bktec's plugin will report outcomes, so a command without a result file still
     *                      gives results (as long as pytest loads the plugin)
     */
    public static Pytest configure(Optional<String> userTestCommand, Optional<String> userRetryCommand,
                                   CollectorProbe probe, boolean resultsStream, Consumer<String> notices)
            throws CommandTemplateException {
        Optional<CommandTemplate> user = userTestCommand.isPresent()
                ? Optional.of(CommandTemplate.parse(userTestCommand.get())) : Optional.empty();
        ResultMode mode;
        if (user.isPresent() && user.get().hasWordContaining("--junit-xml")) {
            mode = ResultMode.JUNIT;
        } else if (user.isPresent() && user.get().hasWordContaining("--json=")) {
            if (!probe.collectorInstalled()) {
                throw new CommandTemplateException("the test command uses --json= but buildkite-test-collector is not "
                        + "installed for python; install it (pip install buildkite-test-collector) or use "
                        + "--junit-xml={{resultPath}} instead");
            }
            mode = ResultMode.JSON;
        } else {
            mode = probe.collectorInstalled() ? ResultMode.JSON : ResultMode.JUNIT;
            if (user.isPresent() && resultsStream) {
                notices.accept("the test command writes no result file bktec names ({{resultPath}}): outcomes come "
                        + "from bktec's pytest plugin alone");
            } else if (user.isPresent()) {
                notices.accept("warning: the test command has neither --json={{resultPath}} nor "
                        + "--junit-xml={{resultPath}}, so bktec cannot read its results and cannot retry failed tests");
            }
        }
        CommandTemplate test = user.isPresent() ? user.get()
                : CommandTemplate.parse(mode == ResultMode.JSON ? JSON_COMMAND : JUNIT_COMMAND);
        CommandTemplate retry = userRetryCommand.isPresent() ? CommandTemplate.parse(userRetryCommand.get()) : test;
        notices.accept("pytest results are read as " + mode.description()
                + (mode == ResultMode.JUNIT && user.isEmpty() ? " (buildkite-test-collector is not installed)" : ""));
        return new Pytest(mode, test, retry);
    }

    @Override
    public String name() {
        return "pytest";
    }

    @Override
    public RunnerCommands commands() {
        return commands;
    }

    @Override
    public ResultReader resultReader(Path workingDirectory) {
        return commands.mode().fileReader(workingDirectory);
    }


    @Override
    public String commandLineArgument(String test) {
        return argument(test);
    }

    /** A test file or node id as a pytest argument: pytest would read "-x.py" as an option, so it gets "./". */
    public static String argument(String test) {
        return test.startsWith("-") ? "./" + test : test;
    }

    @Override
    public ExitMeaning meaningOf(int exitCode) {
        return switch (exitCode) {
            case 0 -> ExitMeaning.PASSED;
            case 1 -> ExitMeaning.TESTS_FAILED;
            case 5 -> ExitMeaning.NO_TESTS;
            default -> ExitMeaning.TERMINAL; // 2 interrupted, 3 internal error, 4 usage error, anything else
        };
    }
}
