package io.bktec.stream;

import io.bktec.plan.TestListing;
import io.bktec.runner.Pytest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Lists the tests of some files by running {@code pytest --collect-only} with bktec's plugin and reading the ids
 * from its stream, not from pytest's terminal: that output changes with verbosity (an {@code addopts = -q} turns
 * {@code --collect-only -q} into per-file counts). Ids are made relative to the working directory and grouped by
 * the file asked for, in collection order; a file that failed to collect is named as such. Extra pytest arguments
 * (the collector's {@code --tag-filters}) narrow what is collected. Blocking.
 */
public final class StreamCollection {
    private static final long TIMEOUT_MINUTES = 10;

    private final List<String> pytest;
    private final List<String> arguments;
    private final Path workingDirectory;
    private final Map<String, String> environment;

    /**
     * @param pytest    the command that starts pytest: {@code pytest}, or {@code python3 -m pytest}
     * @param arguments more pytest arguments, before the files
     */
    public StreamCollection(List<String> pytest, List<String> arguments, Path workingDirectory,
                            Map<String, String> environment) {
        this.pytest = List.copyOf(pytest);
        this.arguments = List.copyOf(arguments);
        this.workingDirectory = workingDirectory;
        this.environment = Map.copyOf(environment);
    }

    /** Thrown when pytest could not be run or reported no collection. */
    public static final class CollectionException extends Exception {
        public CollectionException(String message) {
            super(message);
        }
    }

    public TestListing testsOf(List<String> files) throws CollectionException {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("bktec-collect");
            Path stream = tmp.resolve("stream.jsonl");
            Path output = tmp.resolve("output.txt");
            List<String> command = new ArrayList<>(pytest);
            command.addAll(List.of("--collect-only", "-q"));
            command.addAll(arguments);
            files.forEach(f -> command.add(Pytest.argument(f)));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            builder.environment().putAll(PytestPlugin.environment(PytestPlugin.install(tmp), stream, environment));
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new CollectionException("pytest --collect-only did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            List<String> lines = Files.exists(stream) ? Files.readAllLines(stream, StandardCharsets.UTF_8) : List.of();
            Optional<TestListing> grouped = grouped(lines, files, workingDirectory);
            if (grouped.isEmpty()) {
                throw new CollectionException("pytest --collect-only exited with status " + process.exitValue()
                        + " without listing tests" + lastLine(Files.readString(output, StandardCharsets.UTF_8)));
            }
            return grouped.get();
        } catch (IOException e) {
            throw new CollectionException("could not run " + String.join(" ", pytest) + " --collect-only: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectionException("interrupted while listing tests");
        } finally {
            delete(tmp);
        }
    }

    /** The collected ids in stream lines, by requested file; empty when the stream never said what was collected. */
    static Optional<TestListing> grouped(List<String> streamLines, List<String> files, Path workingDirectory) {
        NodeIdRebase rebase = NodeIdRebase.none();
        List<String> collected = null;
        List<String> failed = new ArrayList<>();
        for (String line : streamLines) {
            Optional<StreamEvent> event = StreamEventParser.parse(line);
            if (event.isPresent() && event.get() instanceof StreamEvent.SessionStart start) {
                rebase = NodeIdRebase.between(start.rootdir(), workingDirectory);
            } else if (event.isPresent() && event.get() instanceof StreamEvent.Collected list) {
                collected = list.nodeIds();
            } else if (event.isPresent() && event.get() instanceof StreamEvent.CollectionError error) {
                failed.add(error.nodeId());
            }
        }
        if (collected == null) {
            return Optional.empty();
        }
        Map<String, String> asked = new LinkedHashMap<>();
        for (String file : files) {
            asked.put(file.startsWith("./") ? file.substring(2) : file, file);
        }
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        for (String file : files) {
            byFile.put(file, new ArrayList<>());
        }
        for (String id : collected) {
            String runnable = rebase.runnable(id);
            int separator = runnable.indexOf("::");
            String file = separator < 0 ? null : asked.get(runnable.substring(0, separator));
            if (file != null) {
                byFile.get(file).add(runnable);
            }
        }
        byFile.values().removeIf(List::isEmpty);
        Set<String> uncollectable = new LinkedHashSet<>();
        for (String nodeId : failed) {
            String runnable = rebase.runnable(nodeId);
            String file = asked.get(runnable.contains("::") ? runnable.substring(0, runnable.indexOf("::")) : runnable);
            if (file != null) {
                uncollectable.add(file);
            }
        }
        return Optional.of(new TestListing(byFile, uncollectable));
    }

    private static String lastLine(String output) {
        String trimmed = output.strip();
        return trimmed.isEmpty() ? "" : ": " + trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    }

    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover in TMPDIR is not worth failing the plan for
        }
    }
}
