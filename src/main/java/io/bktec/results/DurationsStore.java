package io.bktec.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The test durations a run plans from and writes back to: BUILDKITE_TEST_ENGINE_DURATIONS_FILE (a pytest-split file,
 * result files, or a directory of them), or {@code .test_durations} when it exists. Never fatal: what cannot be read
 * is a warning and no durations; what cannot be written is a warning.
 */
public final class DurationsStore {
    private final Path workingDirectory;
    private final String named;
    private final boolean explicit;
    private final Consumer<String> warnings;
    private final Consumer<String> notices;
    private final Consumer<String> debug;

    /**
     * @param configured the durations file the user named, or empty for the default
     */
    public DurationsStore(Path workingDirectory, Optional<String> configured, Consumer<String> warnings,
                          Consumer<String> notices, Consumer<String> debug) {
        this.workingDirectory = workingDirectory;
        this.named = configured.orElse(DurationsFile.DEFAULT_NAME);
        this.explicit = configured.isPresent();
        this.warnings = warnings;
        this.notices = notices;
        this.debug = debug;
    }

    private Path path() {
        return workingDirectory.resolve(named);
    }

    /** Node id → seconds; empty (with a warning unless the default file is simply absent) when there are none. */
    public Map<String, Double> read() {
        Path file = path();
        if (!Files.exists(file)) {
            if (explicit) {
                warnings.accept("durations file " + named + " does not exist; splitting by file count");
            }
            return Map.of();
        }
        try {
            Map<String, Double> durations = new DurationSources(workingDirectory, debug).read(file);
            debug.accept("read " + durations.size() + " test durations from " + file);
            if (durations.isEmpty()) {
                warnings.accept("found no test durations in " + file + " (pytest-split JSON, JUnit XML or collector "
                        + "JSON); splitting by file count");
            }
            return durations;
        } catch (IOException | ResultFormatException e) {
            warnings.accept("could not read durations from " + file + " (" + e.getMessage() + "); splitting by file count");
            return Map.of();
        }
    }

    /** Merges a run's measured durations into the pytest-split file: tests not measured keep their old figure. */
    public void merge(Map<String, Double> measured) {
        Path file = writablePath();
        Map<String, Double> durations = new HashMap<>();
        try {
            if (Files.exists(file)) {
                durations.putAll(DurationsFile.read(file));
            }
        } catch (IOException | ResultFormatException e) {
            warnings.accept("replacing unreadable durations file " + file + " (" + e.getMessage() + ")");
        }
        durations.putAll(measured);
        try {
            DurationsFile.write(file, durations);
            notices.accept("wrote " + measured.size() + " test durations to "
                    + workingDirectory.relativize(file.toAbsolutePath()));
        } catch (IOException e) {
            warnings.accept("could not write durations to " + file + ": " + e.getMessage());
        }
    }

    /**
     * The pytest-split file to merge into: the durations file, unless it names result files (JUnit, collector JSON,
     * a directory of them), which are another tool's to write; then .test_durations.
     */
    private Path writablePath() {
        Path file = path();
        try {
            if (!Files.exists(file) || DurationSources.isDurationsFile(file)) {
                return file;
            }
        } catch (IOException e) {
            return file; // the write reports what is wrong with it
        }
        notices.accept(named + " holds test results, not pytest-split durations; writing this run's durations to "
                + DurationsFile.DEFAULT_NAME + " instead");
        return workingDirectory.resolve(DurationsFile.DEFAULT_NAME);
    }
}
