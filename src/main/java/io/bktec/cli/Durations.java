package io.bktec.cli;

import io.bktec.config.Config;
import io.bktec.plan.FileWeights;
import io.bktec.plan.Task;
import io.bktec.plan.TestCase;
import io.bktec.report.Console;
import io.bktec.results.DurationSources;
import io.bktec.results.DurationsFile;
import io.bktec.results.ResultFormatException;
import io.bktec.run.RunReport;
import io.bktec.run.TestRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reads and updates the durations file (pytest-split's .test_durations) that the local split and batching use. */
final class Durations {
    static final String DEFAULT_FILE = ".test_durations";

    private Durations() {
    }

    static Path path(Config config, Path workingDirectory) {
        return workingDirectory.resolve(config.durationsFile().orElse(DEFAULT_FILE));
    }

    /**
     * The weights from the durations file or directory; an absent default file means uniform weights, an unreadable
     * one a warning too.
     */
    static FileWeights load(Config config, Path workingDirectory, Console console) {
        Path file = path(config, workingDirectory);
        if (!Files.exists(file)) {
            if (config.durationsFile().isPresent()) {
                console.warning("durations file " + config.durationsFile().get() + " does not exist; splitting by file count");
            }
            return FileWeights.uniform();
        }
        try {
            Map<String, Double> durations = new DurationSources(workingDirectory, console::debug).read(file);
            console.debug("read " + durations.size() + " test durations from " + file);
            if (durations.isEmpty()) {
                console.warning("found no test durations in " + file + " (pytest-split JSON, JUnit XML or collector "
                        + "JSON); splitting by file count");
            }
            return FileWeights.fromTestDurations(durations);
        } catch (IOException | ResultFormatException e) {
            console.warning("could not read durations from " + file + " (" + e.getMessage() + "); splitting by file count");
            return FileWeights.uniform();
        }
    }

    /**
     * The pytest-split file to merge this run's times into: the durations file, unless it names result files
     * (JUnit, collector JSON, a directory of them), which are another tool's to write; then .test_durations.
     */
    private static Path writablePath(Config config, Path workingDirectory, Console console) {
        Path file = path(config, workingDirectory);
        try {
            if (!Files.exists(file) || DurationSources.isDurationsFile(file)) {
                return file;
            }
        } catch (IOException e) {
            return file; // the write reports what is wrong with it
        }
        Path instead = workingDirectory.resolve(DEFAULT_FILE);
        console.notice(config.durationsFile().orElse(DEFAULT_FILE) + " holds test results, not pytest-split "
                + "durations; writing this run's durations to " + DEFAULT_FILE + " instead");
        return instead;
    }

    /** Weights from the Test Engine's estimates in this node's task, when it gave any. */
    static Optional<FileWeights> fromTask(Task task) {
        Map<String, Double> estimates = new HashMap<>();
        for (TestCase test : task.tests()) {
            if (test.estimatedDurationMs() > 0) {
                estimates.merge(test.runnable(), test.estimatedDurationMs() / 1000.0, Double::sum);
            }
        }
        return estimates.isEmpty() ? Optional.empty() : Optional.of(FileWeights.fromFiles(estimates));
    }

    /** Merges this run's test durations into the file (tests not run keep their old value). Never fatal. */
    static void write(Config config, Path workingDirectory, RunReport report, Console console) {
        Path file = writablePath(config, workingDirectory, console);
        Map<String, Double> durations = new HashMap<>();
        try {
            if (Files.exists(file)) {
                durations.putAll(DurationsFile.read(file));
            }
        } catch (IOException | ResultFormatException e) {
            console.warning("replacing unreadable durations file " + file + " (" + e.getMessage() + ")");
        }
        int updated = 0;
        for (TestRecord record : report.ledger()) {
            // A test that never ran, or whose run a crash cut short, has no duration worth keeping.
            boolean measured = record.latest().status() != io.bktec.results.TestStatus.NOT_RUN && !record.latest().crashed();
            if (!record.latest().collectionError() && measured && record.latest().durationSeconds() >= 0) {
                durations.put(record.latest().nodeId(), record.latest().durationSeconds());
                updated++;
            }
        }
        try {
            DurationsFile.write(file, durations);
            console.notice("wrote " + updated + " test durations to " + workingDirectory.relativize(file.toAbsolutePath()));
        } catch (IOException e) {
            console.warning("could not write durations to " + file + ": " + e.getMessage());
        }
    }
}
