package io.bktec.process;

import java.util.Locale;

/**
 * Loads NuProcess's platform class, and with it JNA and its native library, on a daemon thread while bktec reads its
 * configuration, discovers and plans, so the first test process does not wait ~35 ms for them on the critical path.
 * Class initialisation is thread-safe: a spawn that comes first waits for it, and a failure is reported by the
 * spawn (the JDK keeps this thread's exception as the cause).
 */
public final class NativeWarmUp {
    private NativeWarmUp() {
    }

    public static void start() {
        Thread thread = new Thread(NativeWarmUp::load, "bktec-native-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String platformClass = os.contains("linux") ? "com.zaxxer.nuprocess.linux.LinuxProcess"
                : os.contains("mac") ? "com.zaxxer.nuprocess.osx.OsxProcess" : null;
        try {
            if (platformClass != null) {
                Class.forName(platformClass, true, NativeWarmUp.class.getClassLoader());
            }
            Class.forName(LibC.class.getName(), true, NativeWarmUp.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // only a warm-up: starting a test process reports what is wrong
        }
    }
}
