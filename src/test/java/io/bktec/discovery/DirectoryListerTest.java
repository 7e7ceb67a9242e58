package io.bktec.discovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class DirectoryListerTest {
    @TempDir
    Path root;

    private static boolean linux64() {
        String arch = System.getProperty("os.arch");
        return System.getProperty("os.name").equals("Linux") && (arch.equals("amd64") || arch.equals("aarch64"));
    }

    @Test
    void linuxListingIsBoundOnLinuxAndTakesOverOnceAWalkIsBig() throws IOException {
        assumeThat(linux64()).isTrue();
        assertThat(LinuxDirectoryLister.available()).isTrue();
        Files.writeString(root.resolve("f.py"), "");
        Files.createSymbolicLink(root.resolve("l"), root.resolve("f.py"));
        DirectoryLister best = DirectoryLister.best();
        int listings = 0;
        while (best.list(root).stream().allMatch(e -> e.type() == DirectoryEntry.Type.UNKNOWN)) {
            listings++;
        }
        assertThat(listings * 2).isEqualTo(DirectoryLister.NATIVE_AFTER_ENTRIES);
        assertThat(best.list(root)).contains(new DirectoryEntry("l", DirectoryEntry.Type.SYMLINK));
    }

    @Test
    void linuxListingGivesTypesAndTheSameNamesAsTheJdk() throws IOException {
        assumeThat(LinuxDirectoryLister.available()).isTrue();
        Files.createDirectory(root.resolve("dir"));
        Files.writeString(root.resolve("test_ünï.py"), "");
        Files.writeString(root.resolve("with space.py"), "");
        Files.createSymbolicLink(root.resolve("link"), root.resolve("dir"));
        new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start().onExit().join();

        List<DirectoryEntry> linux = sorted(new LinuxDirectoryLister().list(root));
        assertThat(linux).containsExactly(
                new DirectoryEntry("dir", DirectoryEntry.Type.DIRECTORY),
                new DirectoryEntry("fifo", DirectoryEntry.Type.OTHER),
                new DirectoryEntry("link", DirectoryEntry.Type.SYMLINK),
                new DirectoryEntry("test_ünï.py", DirectoryEntry.Type.REGULAR_FILE),
                new DirectoryEntry("with space.py", DirectoryEntry.Type.REGULAR_FILE));
        assertThat(linux).extracting(DirectoryEntry::name)
                .containsExactlyElementsOf(sorted(new JdkDirectoryLister().list(root)).stream().map(DirectoryEntry::name).toList());
    }

    @Test
    void aDirectoryLargerThanOneReadIsListedWhole() throws IOException {
        assumeThat(LinuxDirectoryLister.available()).isTrue();
        for (int i = 0; i < 3000; i++) { // ~100 KiB of records: more than one 64 KiB read
            Files.writeString(root.resolve("a_rather_long_file_name_to_fill_the_buffer_" + i + ".py"), "");
        }
        assertThat(new LinuxDirectoryLister().list(root)).hasSize(3000)
                .allMatch(e -> e.type() == DirectoryEntry.Type.REGULAR_FILE);
    }

    @Test
    void aMissingDirectoryIsAnError() {
        assumeThat(LinuxDirectoryLister.available()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LinuxDirectoryLister().list(root.resolve("nope")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void recordsAreParsedAndDotEntriesAndDamagedRecordsSkipped() {
        ByteBuffer records = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        record(records, ".", (byte) 4);
        record(records, "..", (byte) 4);
        record(records, "a.py", (byte) 8);
        record(records, "sub", (byte) 4);
        record(records, "l", (byte) 10);
        record(records, "u", (byte) 0);
        record(records, "sock", (byte) 12);
        int good = records.position();
        records.putLong(1).putLong(2).putShort((short) 5000).put((byte) 8).put("x".getBytes(StandardCharsets.UTF_8));
        List<DirectoryEntry> entries = new ArrayList<>();
        LinuxDirectoryLister.parse(records.array(), records.position(), entries);
        assertThat(entries).containsExactly(
                new DirectoryEntry("a.py", DirectoryEntry.Type.REGULAR_FILE),
                new DirectoryEntry("sub", DirectoryEntry.Type.DIRECTORY),
                new DirectoryEntry("l", DirectoryEntry.Type.SYMLINK),
                new DirectoryEntry("u", DirectoryEntry.Type.UNKNOWN),
                new DirectoryEntry("sock", DirectoryEntry.Type.OTHER));
        assertThat(good).isLessThan(records.position());
    }

    /** A linux_dirent64 record, padded to 8 bytes as the kernel does. */
    private static void record(ByteBuffer into, String name, byte type) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int length = (19 + bytes.length + 1 + 7) / 8 * 8;
        int start = into.position();
        into.putLong(42).putLong(0).putShort((short) length).put(type).put(bytes).put((byte) 0);
        into.position(start + length);
    }

    @Test
    void discoveryFindsTheSameFilesWithEitherListing() throws Exception {
        assumeThat(LinuxDirectoryLister.available()).isTrue();
        Random random = new Random(7);
        List<Path> dirs = new ArrayList<>(List.of(root));
        int directoryLinks = 0;
        for (int i = 0; i < 400; i++) {
            Path parent = dirs.get(random.nextInt(dirs.size()));
            switch (random.nextInt(6)) {
                case 0 -> dirs.add(Files.createDirectory(parent.resolve("d" + i)));
                case 1 -> Files.writeString(parent.resolve("test_" + i + ".py"), "");
                case 2 -> Files.writeString(parent.resolve("m" + i + "_test.py"), "");
                case 3 -> Files.writeString(parent.resolve("helper" + i + ".py"), "");
                case 4 -> Files.createSymbolicLink(parent.resolve("test_link" + i + ".py"),
                        parent.resolve(random.nextBoolean() ? "test_" + (i - 1) + ".py" : "missing.py"));
                default -> {
                    if (directoryLinks++ < 5) { // a few links to directories, loops included, without a blow-up
                        Files.createSymbolicLink(parent.resolve("dlink" + i), dirs.get(random.nextInt(dirs.size())));
                    }
                }
            }
        }
        List<String> warningsLinux = new ArrayList<>();
        List<String> warningsJdk = new ArrayList<>();
        DiscoveryRequest request = new DiscoveryRequest(Optional.of("**/{*_test,test_*}.py"), "",
                PytestCollectionConfig.defaults(root));
        List<String> linux = new FileDiscovery(root, warningsLinux::add, new LinuxDirectoryLister()).find(request).files();
        List<String> jdk = new FileDiscovery(root, warningsJdk::add, new JdkDirectoryLister()).find(request).files();
        assertThat(linux).isNotEmpty().containsExactlyElementsOf(jdk);
        assertThat(warningsLinux).containsExactlyElementsOf(warningsJdk);
    }

    private static List<DirectoryEntry> sorted(List<DirectoryEntry> entries) {
        List<DirectoryEntry> copy = new ArrayList<>(entries);
        copy.sort(Comparator.comparing(DirectoryEntry::name));
        return copy;
    }
}
