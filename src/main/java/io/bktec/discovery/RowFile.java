package io.bktec.discovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A newline-delimited list of test files ({@code --files}): lines trimmed, blanks dropped, must be text. */
public final class RowFile {
    private RowFile() {
    }

    public static List<String> read(Path workingDirectory, String path) throws DiscoveryException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(workingDirectory.resolve(path));
        } catch (IOException e) {
            throw new DiscoveryException("couldn't read rows from " + path + ": " + describe(e));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DiscoveryException(path + " is not a text file");
        }
        if (text.indexOf('\0') >= 0) {
            throw new DiscoveryException(path + " is not a text file");
        }
        List<String> rows = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String row = line.strip();
            if (!row.isEmpty()) {
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new DiscoveryException("no rows found in " + path);
        }
        return rows;
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
