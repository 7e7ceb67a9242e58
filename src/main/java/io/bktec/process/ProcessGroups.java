package io.bktec.process;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** Signals whole process groups through libc's kill(2), which the JDK cannot do. */
public final class ProcessGroups {
    private ProcessGroups() {
    }

    private interface LibC extends Library {
        int kill(int pid, int signal);
    }

    private static final class Holder {
        // Loaded on first use so runs that never signal anything skip JNA's start-up cost.
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    /** Sends {@code signal} to every process in group {@code pgid}; false if the group no longer exists. */
    public static boolean signalGroup(int pgid, int signal) {
        if (pgid <= 1) {
            return false; // never kill(-1) or our own group by mistake
        }
        return Holder.LIBC.kill(-pgid, signal) == 0;
    }
}
