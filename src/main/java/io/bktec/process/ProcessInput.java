package io.bktec.process;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Lines for a child's standard input, for a child that reads commands (a pytest worker). Lines sent before the child
 * has started wait for it; lines sent after it has ended are dropped. The launcher connects the writer that reaches
 * the child (NuProcess writes without blocking).
 */
public final class ProcessInput {
    private Consumer<String> writer;
    private boolean gone;
    private final List<String> early = new ArrayList<>();

    /** The child has started: from now on lines go to {@code lineWriter} (each line without its newline). */
    public synchronized void connect(Consumer<String> lineWriter) {
        writer = lineWriter;
        early.forEach(lineWriter);
        early.clear();
    }

    /** The child has ended. */
    public synchronized void disconnect() {
        gone = true;
        writer = null;
    }

    /** Sends one line (the writer adds the newline). */
    public synchronized void send(String line) {
        if (gone) {
            return;
        }
        if (writer == null) {
            early.add(line);
        } else {
            writer.accept(line);
        }
    }
}
