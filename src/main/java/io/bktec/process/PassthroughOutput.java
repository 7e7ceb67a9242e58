package io.bktec.process;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Copies a child's bytes to our stdout and stderr unchanged (colours, {@code \r} progress), through one reusable
 * buffer: no allocation per chunk or per line. Only when the child's stdout ends mid-line (it was killed) is a newline
 * added, so bktec's next line starts on a line of its own. Given a {@link DirectStdout} path, the child writes its
 * stdout there itself and only stderr passes through here.
 */
public final class PassthroughOutput implements OutputSink {
    private final PrintStream out;
    private final PrintStream err;
    private final Optional<String> direct;
    private final byte[] chunk = new byte[64 * 1024];
    /** The last byte copied to stdout, so a line a dying child left open can be closed before bktec writes. */
    private byte lastStdout = '\n';

    public PassthroughOutput(PrintStream out, PrintStream err) {
        this(out, err, Optional.empty());
    }

    /** @param direct where the child may write its stdout itself ({@code out} must be bktec's own stdout then) */
    public PassthroughOutput(PrintStream out, PrintStream err, Optional<String> direct) {
        this.out = out;
        this.err = err;
        this.direct = direct;
    }

    @Override
    public Optional<String> directStdout() {
        out.flush(); // what bktec wrote comes before what the child writes
        return direct;
    }

    @Override
    public void stdout(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            lastStdout = bytes.get(bytes.limit() - 1);
        }
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
        if (lastStdout != '\n') {
            out.write('\n'); // pytest ends its output with a newline; a killed one may not have
        }
        out.flush();
        err.flush();
    }
}
