package io.bktec.runner;

import io.bktec.results.ResultReader;

import java.nio.file.Path;

/** A test runner bktec knows how to drive. */
public sealed interface Runner permits Pytest {
    /** The name users configure and reports show. */
    String name();

    ResultMode resultMode();

    CommandTemplate testCommand();

    CommandTemplate retryCommand();

    /** A fresh reader for this run's result files. */
    ResultReader resultReader(Path workingDirectory);

    /** The glob used when the user sets no test file pattern. */
    String defaultFilePattern();

    /** How a plan path or node id is written on the command line. */
    String commandLineArgument(String test);

    ExitMeaning meaningOf(int exitCode);
}
