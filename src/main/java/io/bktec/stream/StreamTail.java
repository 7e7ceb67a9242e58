package io.bktec.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the lines appended to a file since the last read. Only whole lines are returned: the bytes after the last
 * newline wait for the rest of their line, so a line being written is never read half. The file may not exist
 * yet. Blocking file I/O: call it off the event loop, one read at a time.
 */
public final class StreamTail implements AutoCloseable {
    private final Path file;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private FileChannel channel;
    /** The start of a line whose newline has not been written yet. */
    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

    public StreamTail(Path file) {
        this.file = file;
    }

    /** Every whole line appended since the last call, without its newline. */
    public List<String> readNewLines() throws IOException {
        if (channel == null) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException notYet) {
                return List.of();
            }
        }
        List<String> lines = new ArrayList<>();
        while (true) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n <= 0) {
                return lines;
            }
            split(buffer.array(), n, lines);
        }
    }

    private void split(byte[] bytes, int length, List<String> lines) {
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                if (partial.size() > 0) {
                    partial.write(bytes, start, i - start);
                    lines.add(partial.toString(StandardCharsets.UTF_8));
                    partial.reset();
                } else {
                    lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        if (start < length) {
            partial.write(bytes, start, length - start);
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // read-only: nothing is lost
            }
        }
    }
}
