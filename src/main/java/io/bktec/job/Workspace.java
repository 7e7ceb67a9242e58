package io.bktec.job;

import io.bktec.report.Console;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Where a run writes: its own private temporary directory (result files, bktec's pytest plugin, streams), and the
 * user's result path when this run holds its lock. Opened before the tests, closed after; while it is open, a forced
 * exit on cancel can still remove it.
 */
final class Workspace {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path temporaryDirectory;
    private final Optional<ResultPathLock> resultLock;
    private final AtomicReference<Path> live;

    private Workspace(Path temporaryDirectory, Optional<ResultPathLock> resultLock, AtomicReference<Path> live) {
        this.temporaryDirectory = temporaryDirectory;
        this.resultLock = resultLock;
        this.live = live;
    }

    /** @param live holds the temporary directory while it exists, for {@link #removeLive} */
    static Workspace open(Map<String, String> env, Optional<String> resultPath, Console console,
                          AtomicReference<Path> live) {
        Path tmp;
        try {
            tmp = temporaryDirectory(env);
        } catch (IOException e) {
            throw new UserError("could not create a temporary directory (TMPDIR=" + env.getOrDefault("TMPDIR", "")
                    + "): " + e.getMessage());
        }
        live.set(tmp);
        return new Workspace(tmp, resultPath.map(p -> ResultPathLock.acquire(Path.of(p), console)), live);
    }

    Path temporaryDirectory() {
        return temporaryDirectory;
    }

    /** The user's result path as this run may use it (a sibling when another run holds the path). */
    Optional<Path> resultPath() {
        return resultLock.map(ResultPathLock::path);
    }

    /** Releases the result path and removes the temporary directory (kept when debugging). */
    void close(boolean debug, Console console) {
        resultLock.ifPresent(ResultPathLock::close);
        if (live.compareAndSet(temporaryDirectory, null)) {
            remove(temporaryDirectory, debug, console);
        }
    }

    /** The last tidying when bktec stops waiting for a cancelled run: the temporary directory, if it still exists. */
    static void removeLive(AtomicReference<Path> live, boolean debug, Console console) {
        Path tmp = live.getAndSet(null);
        if (tmp != null) {
            remove(tmp, debug, console);
        }
    }

    /**
     * A new private directory under TMPDIR. Not {@link Files#createTempDirectory}: its SecureRandom costs every run
     * ~15 ms of start-up, and an unguessable name adds nothing when mkdir fails on an existing name (another is
     * tried) and the directory is created readable by its owner only.
     */
    private static Path temporaryDirectory(Map<String, String> env) throws IOException {
        String tmp = env.get("TMPDIR");
        Path base = tmp == null || tmp.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(tmp);
        String prefix = "bktec-" + ProcessHandle.current().pid() + "-";
        for (int attempt = 0; ; attempt++) {
            Path candidate = base.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
            try {
                return Files.createDirectory(candidate, OWNER_ONLY);
            } catch (FileAlreadyExistsException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }

    private static void remove(Path tmp, boolean debug, Console console) {
        if (debug) {
            console.debug("result files kept in " + tmp);
            return;
        }
        try (Stream<Path> paths = Files.walk(tmp)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            console.warning("could not remove " + tmp + ": " + e.getMessage());
        }
    }
}
