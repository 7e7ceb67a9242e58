package io.bktec.stream;

import java.util.List;

/** One line of the results stream that bktec's pytest plugin writes (specified in src/main/python/bktec_pytest/protocol.py). */
public sealed interface StreamEvent {
    /** pytest started its session: the stream is live from here on. */
    record SessionStart(String pytestVersion, String pythonVersion, long pid, String rootdir, String invocationDir,
                        List<String> plugins) implements StreamEvent {
        public SessionStart {
            plugins = List.copyOf(plugins);
        }
    }

    /**
     * The tests pytest will run, in its order (after deselection).
     *
     * @param timeouts the tests whose timeout is their own ({@code @pytest.mark.timeout}), in seconds; 0 for none
     */
    record Collected(List<String> nodeIds, java.util.Map<String, Double> timeouts) implements StreamEvent {
        public Collected {
            nodeIds = List.copyOf(nodeIds);
            timeouts = java.util.Map.copyOf(timeouts);
        }

        public Collected(List<String> nodeIds) {
            this(nodeIds, java.util.Map.of());
        }
    }

    /** A worker is collecting a module (importing it): timed as a test is. */
    record Collecting(String nodeId) implements StreamEvent {
    }

    /** The signal that makes the process write every thread's stack to its stacks file. */
    record Stacks(int signal) implements StreamEvent {
    }

    /** A module or other collector failed to collect. */
    record CollectionError(String nodeId, String reason) implements StreamEvent {
    }

    /** A module or other collector was skipped as a whole (a module-level {@code pytest.skip}). */
    record CollectionSkip(String nodeId, String reason) implements StreamEvent {
    }

    /** A test is about to run its setup. */
    record TestStart(String nodeId) implements StreamEvent {
    }

    /**
     * One phase of a test finished.
     *
     * @param when    setup, call, teardown (or anything a plugin reports, such as xdist's "???" for a crashed worker)
     * @param outcome passed, failed, skipped (or a plugin's own, such as "rerun")
     * @param reason  a one-line reason for a failure or skip, or empty
     * @param xfail   the xfail reason when the test was marked xfail, or null
     */
    record PhaseReport(String nodeId, String when, String outcome, double durationSeconds, String reason, String xfail,
                       boolean xpass) implements StreamEvent {
    }

    /** A test whose setup, call and teardown all passed, in one line (as most tests are). */
    record TestPassed(String nodeId, double durationSeconds) implements StreamEvent {
    }

    /**
     * pytest finished its session with this exit status.
     *
     * @param stopped why the session stopped before running everything it collected (-x, pytest.exit, an interrupt),
     *                in pytest's words; empty when it ran to the end
     */
    record SessionEnd(int exitStatus, String stopped) implements StreamEvent {
        public SessionEnd(int exitStatus) {
            this(exitStatus, "");
        }
    }

    /** A worker has collected its tests and waits for commands. */
    record WorkerReady() implements StreamEvent {
    }

    /** A worker finished a command (all but the command's last test, which waits for the next one) and waits. */
    record WorkerDone(long command) implements StreamEvent {
    }

    /** A fork server has started pytest and forks workers from it; {@code executable} is its Python. */
    record ForkServerReady(String executable) implements StreamEvent {
    }

    /** A fork server could not serve (and has ended): the workers start pytest themselves. */
    record ForkServerUnavailable(String reason) implements StreamEvent {
    }

    /** Coverage measures the process (pytest-cov, or coverage run): bktec combines every process's data at the end. */
    record Coverage(io.bktec.coverage.CoverageSetup setup) implements StreamEvent {
    }

    /** The plugin hit a fault of its own and wrote nothing more. */
    record PluginError(String message) implements StreamEvent {
    }
}
