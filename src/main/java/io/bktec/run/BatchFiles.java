package io.bktec.run;

import io.bktec.outcome.Batch;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.ResultsRead;
import io.bktec.outcome.StreamOutcome;
import io.bktec.process.ChildExit;
import io.bktec.results.ResultFormatException;
import io.bktec.results.ResultReader;
import io.bktec.results.TestResult;
import io.bktec.runner.CommandTemplate;
import io.bktec.runner.Runner;
import io.bktec.stream.PlannedCollection;
import io.bktec.stream.ResultComparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A batch's files: its result file and results stream made fresh before its process starts (so a missing file always
 * means "no results"), its command built, and afterwards its results taken from the stream when pytest loaded bktec's
 * plugin, else from the result file. Blocking file I/O: call it off the event loop.
 */
final class BatchFiles {
    private final Runner runner;
    private final Path workingDirectory;
    private final PluginCapability plugin;
    private final boolean compareResultFiles;

    /**
     * @param plugin             what bktec's plugin can do now: whether a batch writes a stream, and takes a planned list
     * @param compareResultFiles parse a result file beside the results stream that stands for it, to compare them
     */
    BatchFiles(Runner runner, Path workingDirectory, PluginCapability plugin, boolean compareResultFiles) {
        this.runner = runner;
        this.workingDirectory = workingDirectory;
        this.plugin = plugin;
        this.compareResultFiles = compareResultFiles;
    }

    /**
     * Removes the batch's old files and gives its command. With bktec's plugin in pytest, many tests go to it as their
     * directory and a list file ({@link PlannedCollection}), so that its collection stays linear.
     */
    List<String> prepare(Batch batch, CommandTemplate template) throws IOException {
        clear(batch, plugin.streaming());
        if (plugin.planning() && runner.takesResultsStream() && PlannedCollection.suits(batch.tests())) {
            Path list = ResultFiles.plannedListFor(batch);
            Files.writeString(list, PlannedCollection.listing(batch.tests()));
            return template.expand(PlannedCollection.arguments(batch.tests(), list.toString()),
                    batch.resultFile().toString());
        }
        List<String> arguments = batch.tests().stream().map(runner::commandLineArgument).toList();
        return template.expand(arguments, batch.resultFile().toString());
    }

    /**
     * The command of a fork server or of a worker forked from it: always {@code directory} (one for the whole attempt,
     * so that every worker's command is the server's but for its own files) and the batch's list file.
     */
    List<String> prepareForked(Batch batch, CommandTemplate template, String directory) throws IOException {
        clear(batch, true);
        Path list = ResultFiles.plannedListFor(batch);
        Files.writeString(list, PlannedCollection.listing(batch.tests()));
        return template.expand(PlannedCollection.arguments(directory, list.toString()), batch.resultFile().toString());
    }

    private static void clear(Batch batch, boolean streaming) throws IOException {
        Files.createDirectories(batch.resultFile().toAbsolutePath().getParent());
        Files.deleteIfExists(batch.resultFile());
        if (streaming) {
            Files.createDirectories(batch.streamFile().toAbsolutePath().getParent());
            Files.deleteIfExists(batch.streamFile());
        }
    }

    ResultsRead read(Batch batch, ChildExit exit, ResultReader reader) {
        Path file = workingDirectory.resolve(batch.resultFile());
        if (exit instanceof ChildExit.NotStarted || !Files.exists(file)) {
            return new ResultsRead.Missing();
        }
        List<TestResult> results = new ArrayList<>();
        try {
            reader.read(file, results::add);
            return new ResultsRead.Read(results);
        } catch (IOException | ResultFormatException | RuntimeException e) {
            return new ResultsRead.Unreadable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /**
     * The result file's results when no results stream stands for them. After pytest's exit 0 or 1 (tests ran, or
     * ran and failed), the planned files the result file never reached are added as not run ({@link UnreportedFiles}):
     * without the plugin nothing else says that a session stopped early.
     */
    ResultsRead readWithoutStream(Batch batch, ChildExit exit, ResultReader reader) {
        ResultsRead file = read(batch, exit, reader);
        int code = exit instanceof ChildExit.Exited e ? e.code() : -1;
        boolean missing = file instanceof ResultsRead.Missing;
        if ((code != 0 && code != 1) || !(file instanceof ResultsRead.Read || missing && code == 0)
                || batch.tests().isEmpty()) {
            return file;
        }
        CommandTemplate command = runner.commandFor(batch.attempt());
        if (UnreportedFiles.commandSelects(command.words())) {
            return file;
        }
        List<TestResult> notRun = UnreportedFiles.notRun(batch.tests(), file.results(), this::holdsCode, missing);
        if (notRun.isEmpty()) {
            return file;
        }
        List<TestResult> all = new ArrayList<>(file.results());
        all.addAll(notRun);
        return new ResultsRead.Read(all);
    }

    /** Whether a test file has anything but blank lines and comments (an unreadable one is taken to). */
    private boolean holdsCode(String file) {
        try (java.util.stream.Stream<String> lines = Files.lines(workingDirectory.resolve(file))) {
            return lines.map(String::strip).anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
            return true;
        }
    }

    /** The batch's outcome: the stream's results when it had a session, else the result file's, saying why. */
    BatchOutcome outcome(Batch batch, ChildExit exit, StreamOutcome stream, ResultReader reader) {
        if (stream.usable()) {
            if (!compareResultFiles) {
                return new BatchOutcome(batch, exit, new ResultsRead.Streamed(stream, new ResultsRead.NotRead(), List.of()));
            }
            ResultsRead file = read(batch, exit, reader);
            List<String> differences = file instanceof ResultsRead.Read read
                    ? ResultComparison.differences(stream.results(), read.results()) : List.of();
            return new BatchOutcome(batch, exit, new ResultsRead.Streamed(stream, file, differences));
        }
        ResultsRead file = readWithoutStream(batch, exit, reader);
        String missing = stream.pluginError().map(e -> "bktec's pytest plugin stopped: " + e)
                .orElse("pytest did not load bktec's plugin (the test command may not pass the environment on to "
                        + "pytest, or pytest is older than 7)");
        return new BatchOutcome(batch, exit, file, Optional.of(missing));
    }
}
