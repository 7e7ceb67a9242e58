package io.bktec.runner;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeCacheTest {
    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    /** A dependency outside the directory the cache writes into (writing there changes its time). */
    private Path dependency() throws IOException {
        return Files.createDirectories(dir.resolve("dependency"));
    }

    private ProbeCache cache() {
        return new ProbeCache(dir.resolve("cache/answers"), now::get);
    }

    @Test
    void anAnswerIsReusedWhileItsFilesAreUnchanged() throws IOException {
        Path sitePackages = Files.createDirectory(dir.resolve("site-packages"));
        cache().store("python-a", true, List.of(sitePackages, dir.resolve("absent")));
        cache().store("python-b", false, List.of(sitePackages));

        assertThat(cache().lookup("python-a")).contains(true);
        assertThat(cache().lookup("python-b")).contains(false);
        assertThat(cache().lookup("python-c")).isEmpty();
    }

    @Test
    void aChangedFileOrOneThatAppearsOrGoesInvalidatesTheAnswer() throws IOException {
        Path sitePackages = Files.createDirectory(dir.resolve("site-packages"));
        Path versionFile = dir.resolve(".python-version");
        Path shim = Files.writeString(dir.resolve("python"), "#!/bin/sh\n");
        cache().store("k", true, List.of(sitePackages, versionFile, shim));

        Files.setLastModifiedTime(sitePackages, FileTime.fromMillis(Files.getLastModifiedTime(sitePackages).toMillis() + 1000));
        assertThat(cache().lookup("k")).isEmpty();

        cache().store("k", true, List.of(sitePackages, versionFile, shim));
        Files.writeString(versionFile, "3.12\n");
        assertThat(cache().lookup("k")).isEmpty();

        cache().store("k", true, List.of(sitePackages, versionFile, shim));
        Files.delete(shim);
        assertThat(cache().lookup("k")).isEmpty();
    }

    @Test
    void anOldAnswerIsAskedAgain() throws IOException {
        cache().store("k", false, List.of(dependency()));
        now.addAndGet(ProbeCache.MAX_AGE_MILLIS - 1);
        assertThat(cache().lookup("k")).contains(false);
        now.addAndGet(2);
        assertThat(cache().lookup("k")).isEmpty();
        now.set(0); // a clock that went backwards is not trusted either
        assertThat(cache().lookup("k")).isEmpty();
    }

    @Test
    void damagedLinesAreSkippedAndTheRestStillRead() throws IOException {
        cache().store("good", true, List.of(dependency()));
        Path file = dir.resolve("cache/answers");
        Files.writeString(file, "garbage\nbad\tmaybe\t1\n\tfalse\tnot-a-number\nx\ttrue\t1\tonly-path\n"
                + Files.readString(file));
        assertThat(cache().lookup("good")).contains(true);
        assertThat(cache().lookup("bad")).isEmpty();
    }

    @Test
    void storingReplacesTheKeysOldAnswer() throws IOException {
        cache().store("k", false, List.of(dependency()));
        cache().store("k", true, List.of(dependency()));
        assertThat(cache().lookup("k")).contains(true);
    }

    @Test
    void anUnwritableCacheIsNoCache() throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("ro"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        ProbeCache cache = new ProbeCache(readOnly.resolve("sub/answers"), now::get);
        cache.store("k", true, List.of(dir));
        boolean rootIgnoresPermissions = Files.exists(readOnly.resolve("sub/answers"));
        if (!rootIgnoresPermissions) {
            assertThat(cache.lookup("k")).isEmpty();
        }
        assertThat(new ProbeCache(dir.resolve("missing/answers"), now::get).lookup("k")).isEmpty();
    }

    @Test
    void theCacheDirectoryFollowsTheEnvironment() {
        assertThat(ProbeCache.forEnvironment(Map.of("BKTEC_CACHE_DIR", "off", "HOME", "/h"), "f")).isEmpty();
        assertThat(ProbeCache.forEnvironment(Map.of(), "f")).isEmpty();
        assertThat(where(Map.of("BKTEC_CACHE_DIR", "/c", "XDG_CACHE_HOME", "/x", "HOME", "/h"))).isEqualTo("/c/f");
        assertThat(where(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/h"))).isEqualTo("/x/bktec/f");
        assertThat(where(Map.of("HOME", "/h"))).isEqualTo("/h/.cache/bktec/f");
    }

    private static String where(Map<String, String> env) {
        Optional<ProbeCache> cache = ProbeCache.forEnvironment(env, "f");
        assertThat(cache).isPresent();
        return cache.get().toString();
    }

    @Property(tries = 300)
    void anyKeySurvivesTheLineFormat(@ForAll String key) {
        assertThat(ProbeCache.unescape(ProbeCache.escape(key))).isEqualTo(key);
        assertThat(ProbeCache.escape(key)).doesNotContain("\t", "\n", "\r");
    }
}
