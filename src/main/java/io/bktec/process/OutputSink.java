package io.bktec.process;

import java.nio.ByteBuffer;

/** Where a child's output goes. Called from NuProcess's I/O thread, one call at a time per process. */
public interface OutputSink {
    void stdout(ByteBuffer bytes);

    void stderr(ByteBuffer bytes);

    /** The child's output has ended: flush anything held back (such as a partial line). */
    void end();
}
