package io.bktec.discovery;

/** One name in a directory, with its type when the directory listing says it (Linux does, for most filesystems). */
record DirectoryEntry(String name, Type type) {
    enum Type {
        DIRECTORY,
        REGULAR_FILE,
        /** Symbolic link: what it points to needs a stat. */
        SYMLINK,
        /** Fifo, socket, device: never a test file. */
        OTHER,
        /** The listing did not say: needs a stat. */
        UNKNOWN
    }
}
