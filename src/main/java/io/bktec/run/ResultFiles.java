package io.bktec.run;

import io.bktec.outcome.Batch;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Names a fresh result file for every batch of every attempt, so a missing file always means "no results" and never
 * last attempt's file. With a user-set path, the first attempt's first batch writes exactly there and every other
 * file is a sibling: {@code results.xml}, {@code results.batch-2.xml}, {@code results.retry-1.xml},
 * {@code results.retry-1.batch-2.xml}, so an artifact glob like {@code results*.xml} catches them all.
 */
public final class ResultFiles {
    private final Optional<Path> userPath;
    private final Path temporaryDirectory;
    private final String extension;

    public ResultFiles(Optional<Path> userPath, Path temporaryDirectory, String extension) {
        this.userPath = userPath;
        this.temporaryDirectory = temporaryDirectory;
        this.extension = extension;
    }

    public Path forBatch(int attempt, int batch) {
        if (userPath.isEmpty()) {
            return temporaryDirectory.resolve("attempt-" + attempt).resolve("batch-" + batch + "." + extension);
        }
        Path path = userPath.get();
        if (attempt == 0 && batch == 1) {
            return path;
        }
        String suffix = (attempt > 0 ? ".retry-" + attempt : "") + (batch > 1 ? ".batch-" + batch : "");
        return path.resolveSibling(sibling(path.getFileName().toString(), suffix));
    }

    /**
     * A batch of an attempt with its result file and stream.
     *
     * @see Batch for the fields
     */
    public Batch batch(int attempt, int index, int of, List<String> tests, boolean worker, String note) {
        return new Batch(attempt, index, of, tests, forBatch(attempt, index), streamFor(attempt, index), worker, note);
    }

    /** The results stream of a batch: always in the run's own temporary directory, never beside the user's file. */
    public Path streamFor(int attempt, int batch) {
        return temporaryDirectory.resolve("attempt-" + attempt).resolve("batch-" + batch + ".stream.jsonl");
    }

    /** The fork server of an attempt's workers: its result file (never written), stream and socket. */
    public Batch forkServer(int attempt, List<String> tests) {
        Path directory = temporaryDirectory.resolve("attempt-" + attempt);
        return new Batch(attempt, 0, 0, tests, directory.resolve("fork-server." + extension),
                directory.resolve("fork-server.stream.jsonl"), true);
    }

    /** Where an attempt's fork server listens. */
    public Path forkServerSocket(int attempt) {
        return temporaryDirectory.resolve("attempt-" + attempt).resolve("fork-server.sock");
    }

    /** The list of planned tests bktec's plugin reads for a batch handed to pytest as a directory. */
    static Path plannedListFor(Batch batch) {
        String stream = batch.streamFile().getFileName().toString();
        return batch.streamFile().resolveSibling(stream.replace(".stream.jsonl", "") + ".planned.txt");
    }

    static String sibling(String fileName, String suffix) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) {
            return fileName + suffix;
        }
        return fileName.substring(0, dot) + suffix + fileName.substring(dot);
    }
}
