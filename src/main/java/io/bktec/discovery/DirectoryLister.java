package io.bktec.discovery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Lists a directory's entries (without "." and ".."), in no particular order. */
interface DirectoryLister {
    /** Entries listed before a walk is big enough for Linux's listing to repay loading it (JNA, ~20 ms). */
    int NATIVE_AFTER_ENTRIES = 2000;

    List<DirectoryEntry> list(Path directory) throws IOException;

    /**
     * The JDK's listing for small trees (the common case), Linux's own for the rest of a walk once it has listed
     * {@link #NATIVE_AFTER_ENTRIES} entries, when Linux's can be bound: it spares a stat per entry.
     */
    static DirectoryLister best() {
        JdkDirectoryLister portable = new JdkDirectoryLister();
        return new DirectoryLister() {
            private int listed;
            private DirectoryLister current = portable;

            @Override
            public List<DirectoryEntry> list(Path directory) throws IOException {
                if (current == portable && listed >= NATIVE_AFTER_ENTRIES && LinuxDirectoryLister.available()) {
                    current = new LinuxDirectoryLister();
                }
                List<DirectoryEntry> entries = current.list(directory);
                listed += entries.size();
                return entries;
            }
        };
    }
}
