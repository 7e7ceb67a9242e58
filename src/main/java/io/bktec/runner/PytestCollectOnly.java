package io.bktec.runner;

import io.bktec.process.HelperCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the node ids in some test files with {@code pytest --collect-only -q}, as bktec does to split slow files by
 * test and to let Test Engine skip single tests. Blocking: run it off the event loop.
 */
public final class PytestCollectOnly {
    private final Path program;
    private final List<String> arguments;
    private final Path workingDirectory;

    /** @param arguments more pytest arguments, before the files (the collector's {@code --tag-filters}) */
    public PytestCollectOnly(Path program, List<String> arguments, Path workingDirectory) {
        this.program = program;
        this.arguments = List.copyOf(arguments);
        this.workingDirectory = workingDirectory;
    }

    public static final class CollectException extends Exception {
        public CollectException(String message) {
            super(message);
        }
    }

    public List<String> nodeIds(List<String> files) throws CollectException {
        List<String> command = new ArrayList<>(List.of(program.toString(), "--collect-only", "-q"));
        command.addAll(arguments);
        files.forEach(f -> command.add(Pytest.argument(f)));
        try {
            HelperCommand.Finished run = HelperCommand.run(command, workingDirectory, Duration.ofMinutes(10))
                    .orElseThrow(() -> new CollectException("pytest --collect-only did not finish in 10 minutes"));
            if (run.exitStatus() != 0) {
                String stderr = run.stderr().strip();
                throw new CollectException("pytest --collect-only exited with status " + run.exitStatus()
                        + (stderr.isEmpty() ? "" : ": " + stderr) + lastLine(run.stdout()));
            }
            return parse(run.stdout());
        } catch (IOException e) {
            throw new CollectException("could not run pytest --collect-only: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectException("interrupted while listing tests");
        }
    }

    private static String lastLine(String out) {
        String trimmed = out.strip();
        int newline = trimmed.lastIndexOf('\n');
        return trimmed.isEmpty() ? "" : " (" + trimmed.substring(newline + 1) + ")";
    }

    /** Node ids are the trimmed lines containing "::"; summary lines are skipped. */
    public static List<String> parse(String output) {
        List<String> ids = new ArrayList<>();
        for (String line : output.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.contains("::")) {
                ids.add(trimmed);
            }
        }
        return ids;
    }
}
