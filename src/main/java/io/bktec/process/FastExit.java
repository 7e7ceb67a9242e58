package io.bktec.process;

/**
 * Ends the JVM at once with an exit status. {@link Runtime#halt} first waits for threads inside native calls to come
 * back, and NuProcess's event loop sits in {@code epoll_wait} for up to 100 ms, which every run paid at its end;
 * libc's {@code _exit} does not wait. Used only once child processes have run (JNA is loaded by then), and never
 * for a class-data training run ({@code -Dbktec.exit=halt}), whose archive is written by the JVM's own exit. A
 * profiling run ({@code -Dbktec.exit=hooks}) exits through the shutdown hooks, so that a flight recording is written.
 */
public final class FastExit {
    private static volatile boolean nativeLoopRunning;

    private FastExit() {
    }

    /** NuProcess has started its event loop. */
    static void nativeLoopStarted() {
        nativeLoopRunning = true;
    }

    /** Output must be flushed and everything cleaned up before calling this. */
    public static void exit(int status) {
        if ("hooks".equals(System.getProperty("bktec.exit"))) {
            System.exit(status);
        }
        if (nativeLoopRunning && !"halt".equals(System.getProperty("bktec.exit"))) {
            try {
                LibC._exit(status);
            } catch (LinkageError | RuntimeException e) {
                // no usable libc binding: the JVM's own halt is only slower
            }
        }
        Runtime.getRuntime().halt(status);
    }
}
