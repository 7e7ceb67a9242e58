package io.bktec.watch;

import java.time.Duration;
import java.util.Locale;

/**
 * What ended a test's run that its own reports cannot say: bktec stopped it (its timeout, the job's cancel) or the
 * kernel killed its process for want of memory. The test is named, and its stack when bktec took one.
 */
public sealed interface Interruption {
    /** The test's node id, or the module's for a module being collected; empty when no test was running. */
    String nodeId();

    /** Why the test failed, in words, "timed out after 3 s at tests/test_x.py:12 (in test_sleeps)". */
    String reason();

    /** The stack bktec took, if any. */
    default Stack stack() {
        return Stack.none();
    }

    /** Whether bktec's own kill (not the test) ended the process: its exit says nothing more than this. */
    default boolean explainsTheExit() {
        return true;
    }

    /**
     * The test (or the collection of its module, in a worker) ran past its timeout: bktec took its stack and killed
     * its process.
     */
    record TimedOut(String nodeId, Duration timeout, boolean collecting, Stack stack) implements Interruption {
        @Override
        public String reason() {
            String where = stack.whereIn(fileOf(nodeId)).map(w -> " at " + w).orElse("");
            return (collecting ? "collecting " + nodeId + " " : "") + "timed out after " + seconds(timeout) + where;
        }
    }

    /** The test was still running when the job was cancelled. */
    record Cancelled(String nodeId, Duration after, Stack stack) implements Interruption {
        @Override
        public String reason() {
            String where = stack.whereIn(fileOf(nodeId)).map(w -> " at " + w).orElse("");
            return "still running when the job was cancelled (after " + seconds(after) + ")" + where;
        }

        @Override
        public boolean explainsTheExit() {
            return false; // the cancel decides the exit status itself
        }
    }

    /** The kernel's OOM killer ended the test's process (its cgroup's OOM-kill count grew meanwhile). */
    record OutOfMemory(String nodeId) implements Interruption {
        @Override
        public String reason() {
            return "killed by the kernel for want of memory (SIGKILL)";
        }
    }

    /** "3 s", "9.8 s", "2 min": whole seconds as such, tenths below a minute, minutes above ten. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        if (millis >= 600_000 && millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String fileOf(String nodeId) {
        int separator = nodeId.indexOf("::");
        return separator < 0 ? nodeId : nodeId.substring(0, separator);
    }
}
