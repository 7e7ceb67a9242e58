package io.bktec.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class StreamTailTest {
    @TempDir
    Path tmp;

    private void append(Path file, byte[] bytes) throws Exception {
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void aFileThatDoesNotExistYetHasNoLines() throws Exception {
        try (StreamTail tail = new StreamTail(tmp.resolve("later.jsonl"))) {
            assertThat(tail.readNewLines()).isEmpty();
            append(tmp.resolve("later.jsonl"), "one\n".getBytes(StandardCharsets.UTF_8));
            assertThat(tail.readNewLines()).containsExactly("one");
        }
    }

    @Test
    void onlyWholeLinesAreReadAndEachOnce() throws Exception {
        Path file = tmp.resolve("s.jsonl");
        try (StreamTail tail = new StreamTail(file)) {
            append(file, "first\nsec".getBytes(StandardCharsets.UTF_8));
            assertThat(tail.readNewLines()).containsExactly("first");
            assertThat(tail.readNewLines()).isEmpty();
            append(file, "ond\nthird\n".getBytes(StandardCharsets.UTF_8));
            assertThat(tail.readNewLines()).containsExactly("second", "third");
            append(file, "\n".getBytes(StandardCharsets.UTF_8));
            assertThat(tail.readNewLines()).containsExactly("");
        }
    }

    @Test
    void aCharacterSplitBetweenTwoReadsAndALineLongerThanTheBufferComeThroughWhole() throws Exception {
        Path file = tmp.resolve("s.jsonl");
        byte[] umlaut = "ü".getBytes(StandardCharsets.UTF_8);
        String longLine = "x".repeat(200_000);
        try (StreamTail tail = new StreamTail(file)) {
            append(file, new byte[]{'a', umlaut[0]});
            assertThat(tail.readNewLines()).isEmpty();
            append(file, new byte[]{umlaut[1], '\n'});
            append(file, (longLine + "\nend\n").getBytes(StandardCharsets.UTF_8));
            assertThat(tail.readNewLines()).containsExactly("aü", longLine, "end");
        }
    }
}
