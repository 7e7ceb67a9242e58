package io.bktec.outcome;

import java.nio.file.Path;
import java.util.List;

/**
 * One process's share of an attempt.
 *
 * @param attempt    0 for the first run, k for the k-th retry
 * @param index      1-based position within the attempt; 0 for a worker is the attempt's fork server, which the
 *                   workers are forked from ({@code run.ResultFiles#forkServer})
 * @param of         how many batches the attempt has
 * @param tests      plan paths or node ids, as the user would write them
 * @param resultFile where this batch's process writes its results (deleted before it starts)
 * @param streamFile where bktec's pytest plugin streams this batch's events (deleted before it starts)
 * @param worker     a persistent pytest worker (numbered by {@code index}), fed its files one at a time
 * @param note       why this process runs beside the attempt's planned ones (the rest of a batch whose process was
 *                   stopped; a test run alone), or empty
 */
public record Batch(int attempt, int index, int of, List<String> tests, Path resultFile, Path streamFile,
                    boolean worker, String note) {
    public Batch {
        tests = List.copyOf(tests);
    }

    public Batch(int attempt, int index, int of, List<String> tests, Path resultFile, Path streamFile,
                 boolean worker) {
        this(attempt, index, of, tests, resultFile, streamFile, worker, "");
    }

    public Batch(int attempt, int index, int of, List<String> tests, Path resultFile, Path streamFile) {
        this(attempt, index, of, tests, resultFile, streamFile, false);
    }

    public String label() {
        return note.isEmpty() ? planned() : planned() + " (" + note + ")";
    }

    private String planned() {
        if (worker && index == 0) {
            return (attempt == 0 ? "" : "retry " + attempt + " ") + "fork server";
        }
        if (worker) {
            return (attempt == 0 ? "" : "retry " + attempt + " ") + "w" + index;
        }
        String attemptLabel = attempt == 0 ? "" : "retry " + attempt;
        String batchLabel = index > of ? "batch " + index : of > 1 ? "batch " + index + "/" + of : "";
        if (attemptLabel.isEmpty()) {
            return batchLabel.isEmpty() ? "tests" : batchLabel;
        }
        return batchLabel.isEmpty() ? attemptLabel : attemptLabel + " " + batchLabel;
    }
}
