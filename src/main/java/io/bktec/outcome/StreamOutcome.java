package io.bktec.outcome;

import io.bktec.coverage.CoverageSetup;
import io.bktec.results.TestResult;

import java.util.List;
import java.util.Optional;

/**
 * What one pytest process's results stream said, once the process had ended.
 *
 * @param sessionStarted the plugin loaded and pytest started its session: the stream is the source of truth
 * @param pluginError    the plugin stopped on a fault of its own, so the stream is incomplete
 * @param results        one result per test, in the order they ran, then the tests that never ran
 * @param crashedTests   tests that were running when the process died, or that bktec interrupted (pytest ids made
 *                       runnable from here)
 * @param notRun         tests collected but never started (the process died, was stopped or the session stopped
 *                       first), and tests a session stopped inside without saying why
 * @param ending         how the process ended, decided once ({@code stream.TestStream#finish})
 * @param coverage       what measured the process's coverage, when something did
 */
public record StreamOutcome(boolean sessionStarted, Optional<String> pluginError, List<TestResult> results,
                            List<String> crashedTests, List<String> notRun, ProcessEnding ending,
                            Optional<CoverageSetup> coverage) {
    public StreamOutcome {
        results = List.copyOf(results);
        crashedTests = List.copyOf(crashedTests);
        notRun = List.copyOf(notRun);
    }

    /** No plugin spoke: pytest never loaded it (or never started a session). */
    public static StreamOutcome absent() {
        return new StreamOutcome(false, Optional.empty(), List.of(), List.of(), List.of(),
                new ProcessEnding.Unobserved(), Optional.empty());
    }

    /**
     * The plugin stopped on a fault of its own: its stream cannot stand for the process's results (a batch's come
     * from its result file), and a worker's session is taken to have died with it.
     */
    public static StreamOutcome pluginFailed(String error) {
        return new StreamOutcome(true, Optional.of(error), List.of(), List.of(), List.of(),
                new ProcessEnding.Died("bktec's pytest plugin stopped: " + error, false), Optional.empty());
    }

    /** Whether the stream can stand for the process's results. */
    public boolean usable() {
        return sessionStarted && pluginError.isEmpty();
    }
}
