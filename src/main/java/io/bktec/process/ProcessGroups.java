package io.bktec.process;

/** Signals whole process groups through libc's kill(2) with a negative pid, bound through JNA. */
public final class ProcessGroups {
    private ProcessGroups() {
    }

    /**
     * Sends {@code signal} to every process in group {@code pgid}; false if the group no longer exists. One system
     * call: after every test process its leftovers are killed this way, so it sits on the path to the run's end.
     */
    public static boolean signalGroup(int pgid, int signal) {
        if (pgid <= 1) {
            return false; // never kill(-1) or our own group by mistake
        }
        return LibC.kill(-pgid, signal) == 0;
    }

    /** Sends {@code signal} to one process (a test's pytest, for its stacks); false if it no longer exists. */
    public static boolean signalProcess(int pid, int signal) {
        if (pid <= 1) {
            return false;
        }
        return LibC.kill(pid, signal) == 0;
    }
}
