package io.bktec.outcome;

import io.bktec.process.ChildExit;

import java.util.Optional;

/**
 * A finished batch: how its process ended and what its results were.
 *
 * @param streamMissing why the batch's results came from its result file although a results stream was wanted
 */
public record BatchOutcome(Batch batch, ChildExit exit, ResultsRead results, Optional<String> streamMissing) {
    public BatchOutcome(Batch batch, ChildExit exit, ResultsRead results) {
        this(batch, exit, results, Optional.empty());
    }

    /** How the batch's process ended, as its results stream decided it ({@link ProcessEnding.Unobserved} without). */
    public ProcessEnding ending() {
        return stream().map(StreamOutcome::ending).orElseGet(ProcessEnding.Unobserved::new);
    }

    /** The results stream's account of the batch, when it had one. */
    public Optional<StreamOutcome> stream() {
        return results instanceof ResultsRead.Streamed streamed ? Optional.of(streamed.stream()) : Optional.empty();
    }
}
