package io.bktec.discovery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The portable listing: names only, so every entry's type is {@link DirectoryEntry.Type#UNKNOWN}. */
final class JdkDirectoryLister implements DirectoryLister {
    @Override
    public List<DirectoryEntry> list(Path directory) throws IOException {
        List<DirectoryEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path entry : stream) {
                entries.add(new DirectoryEntry(entry.getFileName().toString(), DirectoryEntry.Type.UNKNOWN));
            }
        }
        return entries;
    }
}
