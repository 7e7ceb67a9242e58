package io.bktec.report;

import java.io.PrintStream;

/**
 * bktec's own narrative: lines on stdout, warnings and errors on stderr, Buildkite log group headers. Every line is
 * flushed at once so it lands in order with the test processes' output.
 */
public final class Console {
    private final PrintStream out;
    private final PrintStream err;
    private final Style style;
    private final boolean buildkite;
    private final Redactor redactor;
    private final boolean debug;
    private final long startNanos;

    public Console(PrintStream out, PrintStream err, Style style, boolean buildkite, Redactor redactor, boolean debug,
                   long startNanos) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.buildkite = buildkite;
        this.redactor = redactor;
        this.debug = debug;
        this.startNanos = startNanos;
    }

    /** A debug line with the milliseconds since bktec started; printed only with --debug. */
    public void debug(String text) {
        if (debug) {
            print(out, String.format("bktec: debug [%6d ms] %s", (System.nanoTime() - startNanos) / 1_000_000, text));
        }
    }

    /** Whether debug lines are printed: callers check it before building a costly message. */
    public boolean debugging() {
        return debug;
    }

    public Style style() {
        return style;
    }

    public boolean buildkite() {
        return buildkite;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public void line(String text) {
        print(out, text);
    }

    /** A collapsed log group under Buildkite; a plain heading elsewhere. */
    public void group(String title) {
        print(out, "--- " + title);
    }

    /** An expanded log group: shown open in the Buildkite log. */
    public void expandedGroup(String title) {
        print(out, "+++ " + title);
    }

    /** Opens the group just printed in the Buildkite log, because something in it failed. */
    public void expandPreviousGroup() {
        if (buildkite) {
            print(out, "^^^ +++");
        }
    }

    public void warning(String text) {
        print(err, style.yellow("bktec: " + text));
    }

    public void error(String text) {
        print(err, style.red("bktec: " + text));
    }

    public void notice(String text) {
        print(out, "bktec: " + text);
    }

    private void print(PrintStream stream, String text) {
        synchronized (stream) {
            stream.println(redactor.redact(text));
            stream.flush();
        }
    }
}
