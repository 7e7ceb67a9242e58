package io.bktec.process;

import sun.misc.Signal;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Catches SIGTERM, SIGINT and SIGHUP so bktec can forward them to its test processes, wait for them, and exit with
 * 128+N itself, instead of the JVM dying at once and leaving children behind.
 */
public final class SignalTrap {
    private static final List<String> TRAPPED = List.of("TERM", "INT", "HUP");

    private SignalTrap() {
    }

    public static void install(IntConsumer onSignal) {
        for (String name : TRAPPED) {
            try {
                Signal.handle(new Signal(name), signal -> onSignal.accept(signal.getNumber()));
            } catch (IllegalArgumentException e) {
                // The signal is ignored by the parent (e.g. SIGHUP under nohup) or reserved by the JVM: leave it.
            }
        }
    }
}
