package io.bktec.stream;

import io.bktec.watch.Interruption;

import java.util.List;

/**
 * The words for how a test process ended: the crash, the early stop and bktec's interruption as the console, the
 * summary and the exit status say them, and the reasons given to the tests they touched. One place, so that every
 * consumer of a {@link io.bktec.outcome.ProcessEnding} says the same thing.
 */
final class EndingWords {
    private EndingWords() {
    }

    /** "; 3 tests did not run", or nothing. */
    static String notRunCount(List<String> notRun) {
        return notRun.isEmpty() ? "" : "; " + notRun.size() + " test" + (notRun.size() == 1 ? "" : "s")
                + " did not run";
    }

    /** The one-line reason, and the stack bktec took (the summary shows the first line, the log and annotation all). */
    static String reasonWithStack(Interruption what) {
        String stack = what.stack().text().strip();
        return what.reason() + (stack.isEmpty() ? "" : "\n" + stack);
    }

    /** Why the tests after the interrupted one did not run in its process; {@code who} is its runnable id or "". */
    static String stoppedBecause(Interruption what, String who) {
        String named = who.isEmpty() ? "" : who + " ";
        if (what instanceof Interruption.TimedOut) {
            return "its process was stopped when " + named + "timed out";
        }
        if (what instanceof Interruption.Cancelled) {
            return "the job was cancelled";
        }
        return "its process was killed by the kernel for want of memory";
    }

    /** "t.py::hang timed out after 3 s at …; 2 tests did not run". */
    static String interruption(Interruption what, String who, List<String> notRun) {
        String named = who.isEmpty() ? "the test process" : who;
        boolean killed = what instanceof Interruption.Cancelled || what instanceof Interruption.OutOfMemory;
        return named + (killed ? " was " : " ") + what.reason() + notRunCount(notRun);
    }

    static String stop(String stopReason, List<String> stoppedInside) {
        return "the session stopped early (" + stopReason + ")"
                + (stoppedInside.isEmpty() ? "" : " in " + String.join(", ", stoppedInside));
    }

    /**
     * @param collecting   pytest had not finished collecting
     * @param lastFinished the runnable id of the last test that finished, or null
     */
    static String crash(String ending, List<String> crashed, List<String> notRun, boolean collecting,
                        String lastFinished) {
        if (!crashed.isEmpty()) {
            return String.join(", ", crashed) + " crashed the test process (" + ending + ")" + notRunCount(notRun);
        }
        if (collecting) {
            return "the test process died (" + ending + ") while pytest was collecting tests";
        }
        if (lastFinished == null) {
            return "the test process died (" + ending + ") before its first test" + notRunCount(notRun);
        }
        return "the test process died (" + ending + ") after " + lastFinished
                + (notRun.isEmpty() ? ", before the session ended" : notRunCount(notRun));
    }

    /** Why a collected test that never started did not run. */
    static String neverStarted(Kind kind, Interruption interruption, String who, String ending, String stopReason) {
        return switch (kind) {
            case INTERRUPTED -> "not run: " + stoppedBecause(interruption, who);
            case DIED -> "not run: the test process died (" + ending + ") before it started";
            case STOPPED -> "not run: the session stopped early (" + stopReason + ")";
            case ENDED -> "not run: the session ended (" + ending + ") before it started";
        };
    }

    /** The four ways a session that started can end, in the order they are decided. */
    enum Kind {
        /** bktec decided (a timeout, a cancel) or the kernel killed it for want of memory: first, whatever else. */
        INTERRUPTED,
        /** It never ended its session. */
        DIED,
        /** It ended its session early and said why. */
        STOPPED,
        /** It ended its session. */
        ENDED
    }
}
