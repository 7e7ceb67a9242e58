package io.bktec.discovery;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads directories with Linux's getdents64(2), whose records carry each entry's type (d_type), so a walk over a
 * large tree needs no stat for plain files and directories: the JDK can only list names, and a stat per entry is
 * what made discovery several times slower than {@code find}. Names are decoded as the JDK decodes file names
 * ({@code sun.jnu.encoding}). Any failure here is left to the caller, which falls back to the JDK's listing.
 */
final class LinuxDirectoryLister implements DirectoryLister {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000; // the same on x86-64 and aarch64
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final byte DT_DIR = 4;
    private static final byte DT_REG = 8;
    private static final byte DT_LNK = 10;
    private static final byte DT_UNKNOWN = 0;
    private static final Charset FILE_NAMES = fileNameCharset();
    private static final boolean BOUND = bind();

    private final Memory buffer = new Memory(BUFFER_BYTES);
    private final byte[] copy = new byte[BUFFER_BYTES];

    static boolean available() {
        return BOUND;
    }

    private static boolean bind() {
        if (!Platform.isLinux() || !(Platform.isIntel() || Platform.isARM()) || !Platform.is64Bit()) {
            return false; // the record layout and flag values below are those of 64-bit Linux on these machines
        }
        try {
            Native.register(LinuxDirectoryLister.class, NativeLibrary.getProcess());
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false; // no JNA, or a libc without getdents64 (glibc before 2.30): the JDK's listing works
        }
    }

    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static native int open(byte[] path, int flags);

    private static native long getdents64(int fd, Pointer buffer, long bytes);

    private static native int close(int fd);

    @Override
    public List<DirectoryEntry> list(Path directory) throws IOException {
        byte[] encoded = directory.toString().getBytes(FILE_NAMES);
        byte[] path = new byte[encoded.length + 1]; // NUL-terminated
        System.arraycopy(encoded, 0, path, 0, encoded.length);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open failed (errno " + Native.getLastError() + ")");
        }
        try {
            List<DirectoryEntry> entries = new ArrayList<>();
            while (true) {
                long read = getdents64(fd, buffer, BUFFER_BYTES);
                if (read < 0) {
                    throw new IOException("getdents64 failed (errno " + Native.getLastError() + ")");
                }
                if (read == 0) {
                    return entries;
                }
                buffer.read(0, copy, 0, (int) read);
                parse(copy, (int) read, entries);
            }
        } finally {
            close(fd);
        }
    }

    /** linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[] (NUL-terminated). */
    static void parse(byte[] records, int length, List<DirectoryEntry> into) {
        ByteBuffer view = ByteBuffer.wrap(records, 0, length).order(ByteOrder.nativeOrder());
        int offset = 0;
        while (offset + 19 < length) {
            int recordLength = view.getShort(offset + 16) & 0xffff;
            if (recordLength < 20 || offset + recordLength > length) {
                return; // a damaged record: stop rather than read past it
            }
            byte type = records[offset + 18];
            int nameStart = offset + 19;
            int nameEnd = nameStart;
            int recordEnd = offset + recordLength;
            while (nameEnd < recordEnd && records[nameEnd] != 0) {
                nameEnd++;
            }
            int nameLength = nameEnd - nameStart;
            boolean dotOrDotDot = (nameLength == 1 && records[nameStart] == '.')
                    || (nameLength == 2 && records[nameStart] == '.' && records[nameStart + 1] == '.');
            if (nameLength > 0 && !dotOrDotDot) {
                into.add(new DirectoryEntry(new String(records, nameStart, nameLength, FILE_NAMES), typeOf(type)));
            }
            offset = recordEnd;
        }
    }

    private static DirectoryEntry.Type typeOf(byte type) {
        return switch (type) {
            case DT_DIR -> DirectoryEntry.Type.DIRECTORY;
            case DT_REG -> DirectoryEntry.Type.REGULAR_FILE;
            case DT_LNK -> DirectoryEntry.Type.SYMLINK;
            case DT_UNKNOWN -> DirectoryEntry.Type.UNKNOWN;
            default -> DirectoryEntry.Type.OTHER;
        };
    }
}
