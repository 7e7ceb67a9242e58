package io.bktec.runner;

import io.bktec.results.ResultReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * pytest run by Pants ({@code pants test :: -- <pytest args>}): experimental, retry and mute only. Pants picks the
 * targets, so the command runs as written; bktec only supplies the result path, re-runs it while tests fail (pants
 * caches the targets that passed), and with P parallel jobs adds {@code --test-shard=k/P} so the jobs split the
 * targets between them.
 */
public final class PytestPants implements Runner {
    static final String JSON_EXAMPLE = "pants test :: -- --json={{resultPath}} --merge-json";
    static final String JUNIT_EXAMPLE = "pants test :: -- --junit-xml={{resultPath}}";

    private final RunnerCommands commands;

    private PytestPants(ResultMode mode, CommandTemplate testCommand, CommandTemplate retryCommand) {
        this.commands = new RunnerCommands(mode, testCommand, retryCommand);
    }

    /**
     * Validates the commands (one clear reason each) and adds sharding for node {@code node} of {@code nodes}.
     *
     * @param patternsSet whether a test file pattern or exclude pattern was configured (ignored here, so warned about)
     */
    public static PytestPants configure(Optional<String> userTestCommand, Optional<String> userRetryCommand, int node,
                                        int nodes, boolean patternsSet, Consumer<String> notices)
            throws CommandTemplateException {
        if (userTestCommand.isEmpty()) {
            throw new CommandTemplateException("pytest-pants needs a test command (BUILDKITE_TEST_ENGINE_TEST_CMD), "
                    + "for example: " + JSON_EXAMPLE);
        }
        CommandTemplate test = CommandTemplate.parse(userTestCommand.get());
        ResultMode mode = validate(test);
        CommandTemplate retry = test;
        if (userRetryCommand.isPresent()) {
            retry = CommandTemplate.parse(userRetryCommand.get());
            if (validate(retry) != mode) {
                throw new CommandTemplateException("the retry command must write the same result format as the test command");
            }
        }
        if (patternsSet) {
            notices.accept("warning: pytest-pants ignores BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN and "
                    + "BUILDKITE_TEST_ENGINE_TEST_FILE_EXCLUDE_PATTERN: pants chooses the targets");
        }
        if (mode == ResultMode.JSON) {
            notices.accept("pytest-pants results are read as JSON: buildkite-test-collector must be in the pants "
                    + "resolve that runs pytest");
        } else {
            notices.accept("pytest-pants results are read as JUnit XML");
        }
        if (nodes > 1) {
            test = shard(test, node, nodes, notices);
            retry = shard(retry, node, nodes, s -> { });
        }
        return new PytestPants(mode, test, retry);
    }

    /** Checks the command as bktec's pants runner requires, without its substring mistakes; returns the mode. */
    static ResultMode validate(CommandTemplate command) throws CommandTemplateException {
        List<String> words = command.words();
        if (command.hasWordContaining(CommandTemplate.TEST_EXAMPLES)) {
            throw new CommandTemplateException("pytest-pants does not support {{testExamples}}: pants chooses the "
                    + "targets; remove it from \"" + command.text() + "\"");
        }
        int separator = words.indexOf("--");
        if (separator < 0) {
            throw new CommandTemplateException("the pants command must pass pytest options after a -- word, for "
                    + "example: " + JSON_EXAMPLE + " (got \"" + command.text() + "\")");
        }
        List<String> pantsWords = words.subList(0, separator);
        List<String> pytestWords = words.subList(separator + 1, words.size());
        for (String word : pantsWords) {
            if (word.startsWith("--json=") || word.startsWith("--junit-xml") || word.equals("--merge-json")) {
                throw new CommandTemplateException(word + " is a pytest option: put it after the -- word, for "
                        + "example: " + JSON_EXAMPLE);
            }
        }
        boolean junit = pytestWords.stream().anyMatch(w -> w.startsWith("--junit-xml"));
        boolean json = pytestWords.stream().anyMatch(w -> w.startsWith("--json="));
        if (junit) {
            if (!pytestWords.contains("--junit-xml=" + CommandTemplate.RESULT_PATH)) {
                throw new CommandTemplateException("JUnit mode needs --junit-xml={{resultPath}} after the -- word, "
                        + "for example: " + JUNIT_EXAMPLE);
            }
            return ResultMode.JUNIT;
        }
        if (json) {
            if (!pytestWords.contains("--json=" + CommandTemplate.RESULT_PATH)) {
                throw new CommandTemplateException("JSON mode needs --json={{resultPath}} after the -- word, for "
                        + "example: " + JSON_EXAMPLE);
            }
            if (!pytestWords.contains("--merge-json")) {
                throw new CommandTemplateException("JSON mode needs --merge-json after the -- word (pants runs pytest "
                        + "once per target, and each run must add to the file), for example: " + JSON_EXAMPLE);
            }
            return ResultMode.JSON;
        }
        throw new CommandTemplateException("the pants command writes no results bktec can read: add "
                + "--json={{resultPath}} --merge-json (or --junit-xml={{resultPath}}) after the -- word, for example: "
                + JSON_EXAMPLE);
    }

    /** Adds pants' --test-shard=k/N before the goal, unless the command already shards. */
    static CommandTemplate shard(CommandTemplate command, int node, int nodes, Consumer<String> notices) {
        List<String> words = command.words();
        int separator = words.indexOf("--");
        List<String> pantsWords = words.subList(0, separator < 0 ? words.size() : separator);
        if (pantsWords.stream().anyMatch(w -> w.startsWith("--test-shard") || w.equals("--shard") || w.startsWith("--shard="))) {
            notices.accept("the pants command shards already; not adding --test-shard");
            return command;
        }
        int goal = pantsWords.indexOf("test");
        String option = "--test-shard=" + node + "/" + nodes;
        notices.accept("node " + node + " of " + nodes + ": adding " + option + " to the pants command");
        return command.withWordInserted(goal < 0 ? 1 : goal, option);
    }

    @Override
    public String name() {
        return "pytest-pants";
    }

    @Override
    public RunnerCommands commands() {
        return commands;
    }

    @Override
    public ResultReader resultReader(Path workingDirectory) {
        return new io.bktec.results.FileOrDirectoryReader(commands.mode().fileReader(workingDirectory),
                "." + commands.mode().extension());
    }


    @Override
    public String commandLineArgument(String test) {
        return test;
    }

    @Override
    public ExitMeaning meaningOf(int exitCode) {
        return switch (exitCode) {
            case 0 -> ExitMeaning.PASSED;
            // pants exits 2 when a target failed to collect; the results say whether tests failed too
            case 1, 2 -> ExitMeaning.TESTS_FAILED;
            default -> ExitMeaning.TERMINAL;
        };
    }

    @Override
    public boolean runsWholeCommand() {
        return true;
    }

    @Override
    public boolean latestDuplicateWins() {
        return true;
    }
}
