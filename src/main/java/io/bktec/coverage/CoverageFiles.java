package io.bktec.coverage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Each test process's own coverage data file, named beside its results stream in the run's temporary directory, and
 * finding them all at the end. pytest-cov and {@code coverage run} write where COVERAGE_FILE says, the one a process
 * ends with and, with {@code parallel = true} or from subprocesses, suffixed siblings of it: every one of them counts.
 */
public final class CoverageFiles {
    /** Where coverage writes its data, overriding the configuration's data_file. */
    public static final String VARIABLE = "COVERAGE_FILE";
    private static final String STREAM_SUFFIX = ".stream.jsonl";
    private static final String SUFFIX = ".coverage";

    private CoverageFiles() {
    }

    /** The variable that gives the process writing {@code streamFile} a coverage data file of its own. */
    public static Map<String, String> environment(Path streamFile) {
        return Map.of(VARIABLE, forProcess(streamFile).toString());
    }

    /** {@code attempt-0/batch-2.stream.jsonl} → {@code attempt-0/batch-2.coverage}. */
    public static Path forProcess(Path streamFile) {
        String name = streamFile.getFileName().toString();
        String base = name.endsWith(STREAM_SUFFIX) ? name.substring(0, name.length() - STREAM_SUFFIX.length()) : name;
        return streamFile.resolveSibling(base + SUFFIX);
    }

    /** Whether a file name is a process's coverage data: its own file or a suffixed sibling, never SQLite's journal. */
    static boolean isData(String fileName) {
        int at = fileName.indexOf(SUFFIX);
        if (at <= 0 || fileName.endsWith("-journal") || fileName.endsWith("-wal") || fileName.endsWith("-shm")) {
            return false;
        }
        int end = at + SUFFIX.length();
        return end == fileName.length() || fileName.charAt(end) == '.';
    }

    /** Every process's data file under the run's temporary directory, in name order. Blocking I/O. */
    public static List<Path> all(Path temporaryDirectory) throws IOException {
        try (Stream<Path> paths = Files.walk(temporaryDirectory, 2)) {
            return paths.filter(Files::isRegularFile).filter(p -> isData(p.getFileName().toString())).sorted().toList();
        }
    }
}
