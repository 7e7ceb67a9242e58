package io.bktec.process;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * For several children at once: each whole line is written with a label in front, so lines of different batches
 * never interleave mid-line. A partial line waits for its newline (or the end of output).
 */
public final class LinePrefixOutput implements OutputSink {
    private final PrintStream out;
    private final PrintStream err;
    private final byte[] prefix;
    private final ByteArrayOutputStream pendingOut = new ByteArrayOutputStream();
    private final ByteArrayOutputStream pendingErr = new ByteArrayOutputStream();

    public LinePrefixOutput(PrintStream out, PrintStream err, String label) {
        this.out = out;
        this.err = err;
        this.prefix = ("[" + label + "] ").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void stdout(ByteBuffer bytes) {
        lines(bytes, pendingOut, out);
    }

    @Override
    public void stderr(ByteBuffer bytes) {
        lines(bytes, pendingErr, err);
    }

    private void lines(ByteBuffer bytes, ByteArrayOutputStream pending, PrintStream target) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            pending.write(b);
            if (b == '\n') {
                emit(pending, target);
            }
        }
    }

    private void emit(ByteArrayOutputStream pending, PrintStream target) {
        if (pending.size() == 0) {
            return;
        }
        synchronized (target) {
            target.write(prefix, 0, prefix.length);
            byte[] line = pending.toByteArray();
            target.write(line, 0, line.length);
            target.flush();
        }
        pending.reset();
    }

    @Override
    public void end() {
        if (pendingOut.size() > 0) {
            pendingOut.write('\n');
        }
        if (pendingErr.size() > 0) {
            pendingErr.write('\n');
        }
        emit(pendingOut, out);
        emit(pendingErr, err);
    }
}
