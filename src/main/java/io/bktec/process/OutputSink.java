package io.bktec.process;

import java.nio.ByteBuffer;
import java.util.Optional;

/** Where a child's output goes. Called from NuProcess's I/O thread, one call at a time per process. */
public interface OutputSink {
    void stdout(ByteBuffer bytes);

    void stderr(ByteBuffer bytes);

    /** The child's output has ended: flush anything held back (such as a partial line). */
    void end();

    /**
     * A path the child may open to write its standard output straight to where bktec's own goes, bypassing bktec; empty
     * when its output must pass through bktec ({@link DirectStdout}).
     */
    default Optional<String> directStdout() {
        return Optional.empty();
    }
}
