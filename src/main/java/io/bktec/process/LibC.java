package io.bktec.process;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The two libc calls the JDK has no equivalent for, bound directly (no proxy class, no library search: libc is
 * already in the process). Loaded only when first used.
 */
final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getProcess());
    }

    private LibC() {
    }

    static native int kill(int pid, int signal);

    @SuppressWarnings("checkstyle:MethodName")
    static native void _exit(int status);
}
