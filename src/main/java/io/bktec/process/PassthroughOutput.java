package io.bktec.process;

import java.io.PrintStream;
import java.nio.ByteBuffer;

/**
 * Copies a child's bytes to our stdout and stderr unchanged (colours, {@code \r} progress), through one reusable
 * buffer: no allocation per chunk or per line.
 */
public final class PassthroughOutput implements OutputSink {
    private final PrintStream out;
    private final PrintStream err;
    private final byte[] chunk = new byte[64 * 1024];

    public PassthroughOutput(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void stdout(ByteBuffer bytes) {
        copy(bytes, out);
    }

    @Override
    public void stderr(ByteBuffer bytes) {
        copy(bytes, err);
    }

    private void copy(ByteBuffer bytes, PrintStream target) {
        while (bytes.hasRemaining()) {
            int n = Math.min(bytes.remaining(), chunk.length);
            bytes.get(chunk, 0, n);
            target.write(chunk, 0, n);
        }
        target.flush();
    }

    @Override
    public void end() {
        out.flush();
        err.flush();
    }
}
