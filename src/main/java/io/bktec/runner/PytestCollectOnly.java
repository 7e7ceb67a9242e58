package io.bktec.runner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        files.forEach(f -> command.add(f.startsWith("-") ? "./" + f : f));
        try {
            Path errors = Files.createTempFile("bktec-collect", ".err");
            try {
                Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectError(errors.toFile()).start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(10, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new CollectException("pytest --collect-only did not finish in 10 minutes");
                }
                if (process.exitValue() != 0) {
                    String stderr = Files.readString(errors).strip();
                    throw new CollectException("pytest --collect-only exited with status " + process.exitValue()
                            + (stderr.isEmpty() ? "" : ": " + stderr) + lastLine(out));
                }
                return parse(out);
            } finally {
                Files.deleteIfExists(errors);
            }
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
