package io.bktec.job;

import io.bktec.report.Console;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps two bktec runs in the same directory (two parallel jobs on one agent) from writing the same user-set result
 * files: the first holds a lock beside the path; a second one writes siblings named with its process id instead.
 */
final class ResultPathLock implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final Path lockFile;

    private ResultPathLock(Path path, FileChannel channel, FileLock lock, Path lockFile) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.lockFile = lockFile;
    }

    /** The path this run may use: the requested one, or a per-process sibling when another run holds it. */
    Path path() {
        return path;
    }

    static ResultPathLock acquire(Path requested, Console console) {
        Path absolute = requested.toAbsolutePath();
        Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".bktec-lock");
        try {
            Files.createDirectories(absolute.getParent());
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock != null) {
                return new ResultPathLock(requested, channel, lock, lockFile);
            }
            channel.close();
            String name = requested.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String own = dot <= 0 ? name + ".pid" + ProcessHandle.current().pid()
                    : name.substring(0, dot) + ".pid" + ProcessHandle.current().pid() + name.substring(dot);
            Path sibling = requested.resolveSibling(own);
            console.warning("another bktec run is writing " + requested + "; this run writes " + sibling + " instead");
            return new ResultPathLock(sibling, null, null, null);
        } catch (IOException e) {
            console.warning("could not lock " + lockFile + " (" + e.getMessage() + "); writing " + requested + " anyway");
            return new ResultPathLock(requested, null, null, null);
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                Files.deleteIfExists(lockFile);
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
