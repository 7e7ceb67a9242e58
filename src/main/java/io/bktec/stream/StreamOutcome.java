package io.bktec.stream;

import io.bktec.coverage.CoverageSetup;
import io.bktec.results.TestResult;

import java.util.List;
import java.util.Optional;

/**
 * What one pytest process's results stream said, once the process had ended.
 *
 * @param sessionStarted the plugin loaded and pytest started its session: the stream is the source of truth
 * @param sessionEnded   pytest finished its session; false with a session start means the process died mid-session
 * @param pluginError    the plugin stopped on a fault of its own, so the stream is incomplete
 * @param results        one result per test, in the order they ran, then the tests that never ran
 * @param crashedTests   tests that were running when the process died (pytest ids made runnable from here)
 * @param notRun         tests collected but never started (the process died or the session stopped first), and
 *                       tests a session stopped inside without saying why
 * @param crash          when the process died mid-session: what happened, in words (e.g. which test crashed it)
 * @param stopped        when the session ended early and pytest said why (-x, pytest.exit, an interrupt): what
 *                       happened, in words
 * @param coverage       what measured the process's coverage, when something did
 * @param interrupted    when bktec stopped the running test (its timeout, the job's cancel) or saw its process
 *                       killed for want of memory: what, and the description that names it (instead of a crash)
 */
public record StreamOutcome(boolean sessionStarted, boolean sessionEnded, Optional<String> pluginError,
                            List<TestResult> results, List<String> crashedTests, List<String> notRun,
                            Optional<String> crash, Optional<String> stopped, Optional<CoverageSetup> coverage,
                            Optional<Stopped> interrupted) {
    /** A test bktec stopped, or the kernel's OOM killer did, and how to say so. */
    public record Stopped(io.bktec.watch.Interruption interruption, String description) {
    }

    public StreamOutcome {
        results = List.copyOf(results);
        crashedTests = List.copyOf(crashedTests);
        notRun = List.copyOf(notRun);
    }

    /** No plugin spoke: pytest never loaded it (or never started a session). */
    public static StreamOutcome absent() {
        return new StreamOutcome(false, false, Optional.empty(), List.of(), List.of(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether the stream can stand for the process's results. */
    public boolean usable() {
        return sessionStarted && pluginError.isEmpty();
    }

    /** The process died mid-session leaving tests a retry can run: the one it was running, or ones never started. */
    public boolean crashRetryable() {
        return crash.isPresent() && (!crashedTests.isEmpty() || !notRun.isEmpty());
    }
}
