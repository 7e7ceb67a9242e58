package io.bktec.outcome;

import io.bktec.watch.Interruption;

/**
 * How one test process ended: decided once, when the process has ended and its stream has been read to the end
 * ({@code stream.TestStream#finish}), and mapped by every consumer (the work queue, the exit status's facts, the
 * console, the annotation) instead of being worked out again from the stream's flags. bktec's own decisions (a
 * timeout, the job's cancel) and the kernel's OOM kill come first: they stand whatever the stream said afterwards.
 */
public sealed interface ProcessEnding {
    /** What happened, in words, for the console, the summary and the exit status's reason; empty when nothing did. */
    String description();

    /** The session ran to its end (its tests passed, failed or were skipped as they said). */
    record Completed() implements ProcessEnding {
        @Override
        public String description() {
            return "";
        }
    }

    /**
     * pytest ended its session early and said why (-x or --maxfail, {@code pytest.exit}, an interrupt): the tests it
     * stopped inside failed for that reason, the ones it never started did not run (a retry can run them).
     */
    record StoppedEarly(String reason, String description) implements ProcessEnding {
    }

    /**
     * The process died mid-session by itself (a crash, {@code os._exit}, a signal nobody at bktec sent).
     *
     * @param retryable the stream named tests a retry can run: the one that crashed it, or ones never started
     */
    record Died(String description, boolean retryable) implements ProcessEnding {
    }

    /**
     * bktec stopped the running test (its timeout, the job's cancel), or the kernel killed its process for want of
     * memory: the test failed for that, with its stack when bktec took one, whatever the stream said after the
     * decision. The process's own exit says nothing more (but for a cancel, which decides the exit status itself).
     */
    record Interrupted(Interruption interruption, String description) implements ProcessEnding {
        /** Whether the interruption, not the test, explains the process's death. */
        public boolean explainsTheExit() {
            return interruption.explainsTheExit();
        }

        /** The stack bktec took, stripped; empty when none. */
        public String stack() {
            return interruption.stack().text().strip();
        }
    }

    /** No results stream followed the process (bktec's plugin was off or not loaded): only its exit is known. */
    record Unobserved() implements ProcessEnding {
        @Override
        public String description() {
            return "";
        }
    }
}
