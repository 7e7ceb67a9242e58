package io.bktec.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Signals whole process groups. SIGKILL (sent after every test process, to its leftovers) goes through the JDK to
 * each member found in /proc; other signals (forwarding a cancel) need libc's kill(2), bound through JNA.
 */
public final class ProcessGroups {
    private ProcessGroups() {
    }

    /** Sends {@code signal} to every process in group {@code pgid}; false if the group no longer exists. */
    public static boolean signalGroup(int pgid, int signal) {
        if (pgid <= 1) {
            return false; // never kill(-1) or our own group by mistake
        }
        if (signal == Signals.SIGKILL) {
            return killMembers(pgid);
        }
        return LibC.kill(-pgid, signal) == 0;
    }

    private static boolean killMembers(int pgid) {
        boolean any = false;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if (groupOf(process) == pgid) {
                    any |= ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
                }
            }
        } catch (IOException | RuntimeException e) {
            return LibC.kill(-pgid, Signals.SIGKILL) == 0; // no /proc to read: ask the kernel directly
        }
        return any;
    }

    /** The process group in /proc/PID/stat (the third field after the command name), or -1. */
    static long groupOf(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
            return Long.parseLong(fields[2]);
        } catch (IOException | RuntimeException e) {
            return -1; // gone meanwhile
        }
    }
}
