package io.bktec.process;

/** How a test process ended. */
public sealed interface ChildExit {
    /** The process exited by itself with this code. */
    record Exited(int code) implements ChildExit {
    }

    /** The process was killed by this signal. */
    record Signalled(int signal) implements ChildExit {
    }

    /** The process never ran: the program could not be started, or the run was already cancelled. */
    record NotStarted(String reason) implements ChildExit {
    }

    /** How it ended, as a crash report names it: "SIGSEGV", or "exit status 3". */
    default String ending() {
        return this instanceof Signalled s ? Signals.name(s.signal()) : describe();
    }

    default String describe() {
        if (this instanceof Exited e) {
            return "exit status " + e.code();
        }
        if (this instanceof Signalled s) {
            return "killed by " + Signals.name(s.signal());
        }
        return "not started: " + ((NotStarted) this).reason();
    }
}
