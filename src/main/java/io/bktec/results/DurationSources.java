package io.bktec.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Per-test durations (node id → seconds) from what earlier builds left: pytest-split's {@code .test_durations}, a
 * JUnit XML file, buildkite-test-collector's JSON, or a directory holding any of them (every {@code *.xml} and
 * {@code *.json} below it, in path order; a later file's figure for a test replaces an earlier one's). A file's kind
 * is told from its first character: an object is pytest-split's, an array the collector's, XML is JUnit. JUnit
 * classnames map back to files as the result reader maps them, so relative to the working directory.
 */
public final class DurationSources {
    private final Path workingDirectory;
    private final Consumer<String> notes;

    /** @param notes one line per file passed over, and why */
    public DurationSources(Path workingDirectory, Consumer<String> notes) {
        this.workingDirectory = workingDirectory;
        this.notes = notes;
    }

    /** The durations in a file or directory; a file that is none of the kinds throws. */
    public Map<String, Double> read(Path path) throws IOException, ResultFormatException {
        if (!Files.isDirectory(path)) {
            return readFile(path);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".xml") || p.toString().endsWith(".json"))
                    .sorted().toList();
        }
        Map<String, Double> durations = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                // In a directory of artifacts, only test ids count: other JSON objects may hold numbers too.
                readFile(file).forEach((id, seconds) -> {
                    if (id.contains("::")) {
                        durations.put(id, seconds);
                    }
                });
            } catch (IOException | ResultFormatException e) {
                notes.accept("passed over " + path.relativize(file) + ": " + e.getMessage());
            }
        }
        return durations;
    }

    /**
     * Every input merged in the order given, a later one's figure for a test replacing an earlier one's.
     *
     * @return the merged durations and how many files they came from
     */
    public Merged merge(List<Path> inputs) throws IOException, ResultFormatException {
        Map<String, Double> durations = new LinkedHashMap<>();
        int files = 0;
        for (Path input : inputs) {
            Map<String, Double> read = read(input);
            durations.putAll(read);
            files += read.isEmpty() ? 0 : 1;
        }
        return new Merged(durations, files);
    }

    public record Merged(Map<String, Double> durations, int inputsWithDurations) {
    }

    /** Whether the file is pytest-split's {@code .test_durations} (a JSON object), which bktec can write back to. */
    public static boolean isDurationsFile(Path file) throws IOException {
        return Files.isRegularFile(file) && firstCharacter(file) == '{';
    }

    private Map<String, Double> readFile(Path file) throws IOException, ResultFormatException {
        int first = firstCharacter(file);
        if (first == '{') {
            return DurationsFile.read(file);
        }
        List<TestResult> results = new ArrayList<>();
        if (first == '[') {
            new CollectorJsonReader().read(file, results::add);
        } else if (first == '<') {
            new JUnitXmlReader(workingDirectory).read(file, results::add);
        } else {
            throw new ResultFormatException(file + " is not durations, JUnit XML or collector JSON");
        }
        Map<String, Double> durations = new LinkedHashMap<>();
        for (TestResult result : results) {
            if (!result.collectionError() && result.nodeId().contains("::") && result.durationSeconds() >= 0) {
                durations.put(result.nodeId(), result.durationSeconds());
            }
        }
        return durations;
    }

    private static int firstCharacter(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xEF || c == 0xBB || c == 0xBF);
            return c;
        }
    }
}
