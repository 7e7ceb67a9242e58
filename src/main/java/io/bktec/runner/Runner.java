package io.bktec.runner;

import io.bktec.results.ResultReader;

import java.nio.file.Path;

/** A test runner bktec knows how to drive. */
public sealed interface Runner permits Pytest, PytestPants {
    /** The name users configure and reports show. */
    String name();

    /** The result format and the commands for the first attempt and for retries. */
    RunnerCommands commands();

    default ResultMode resultMode() {
        return commands().mode();
    }

    default CommandTemplate testCommand() {
        return commands().test();
    }

    default CommandTemplate retryCommand() {
        return commands().retry();
    }

    /** The command an attempt runs: the test command first, the retry command for every retry. */
    default CommandTemplate commandFor(int attempt) {
        return attempt == 0 ? testCommand() : retryCommand();
    }

    /** A fresh reader for this run's result files. */
    ResultReader resultReader(Path workingDirectory);


    /** How a plan path or node id is written on the command line. */
    String commandLineArgument(String test);

    ExitMeaning meaningOf(int exitCode);

    /**
     * Whether the command runs as written, choosing its own tests (pants), rather than being handed test files
     * and node ids. Such a runner has no discovery, one batch per attempt, and retries re-run the whole command.
     */
    default boolean runsWholeCommand() {
        return false;
    }

    /**
     * Whether bktec's pytest plugin can reach the test processes through the environment. Not for pants, which runs
     * pytest in a sandbox with an environment of its own choosing.
     */
    default boolean takesResultsStream() {
        return !runsWholeCommand();
    }

    /**
     * Whether, when one result file reports a test twice, the later record wins (merged JSON written by several
     * processes). Otherwise a failure is never hidden by a later pass in the same file.
     */
    default boolean latestDuplicateWins() {
        return false;
    }
}
