package io.bktec.job;

import io.bktec.config.Config;
import io.bktec.outcome.RunReport;
import io.bktec.outcome.TestRecord;
import io.bktec.plan.FileWeights;
import io.bktec.plan.Task;
import io.bktec.plan.TestCase;
import io.bktec.report.Console;
import io.bktec.results.DurationsStore;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Which durations a job plans with, and which of a run's measured times it writes back (the I/O: DurationsStore). */
final class Durations {
    private Durations() {
    }

    private static DurationsStore store(Config config, Path workingDirectory, Console console) {
        return new DurationsStore(workingDirectory, config.plan().durationsFile(), console::warning, console::notice,
                console::debug);
    }

    /** The weights of the configured durations, or uniform weights when there are none. */
    static FileWeights load(Config config, Path workingDirectory, Console console) {
        return FileWeights.fromTestDurations(store(config, workingDirectory, console).read());
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

    /** Merges this run's test durations into the durations file (tests not run keep their old value). */
    static void write(Config config, Path workingDirectory, RunReport report, Console console) {
        Map<String, Double> measured = new HashMap<>();
        for (TestRecord record : report.ledger()) {
            TestResult latest = record.latest();
            // A test that never ran, or whose run a crash cut short, has no duration worth keeping.
            boolean ran = latest.status() != TestStatus.NOT_RUN && !latest.crashed();
            if (!latest.collectionError() && ran && latest.durationSeconds() >= 0) {
                measured.put(latest.nodeId(), latest.durationSeconds());
            }
        }
        store(config, workingDirectory, console).merge(measured);
    }
}
