package io.bktec.outcome;

import io.bktec.results.TestResult;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Every batch of one attempt, in batch order (whatever order they finished in), and when the attempt ran.
 *
 * @param unassigned results no process reported: tests that never ran because the workers ran out
 */
public record AttemptOutcome(int attempt, List<BatchOutcome> batches, Instant startedAt, Instant endedAt,
                             List<TestResult> unassigned) {
    public AttemptOutcome {
        batches = batches.stream().sorted(Comparator.comparingInt(b -> b.batch().index())).toList();
        unassigned = List.copyOf(unassigned);
    }

    public AttemptOutcome(int attempt, List<BatchOutcome> batches, Instant startedAt, Instant endedAt) {
        this(attempt, batches, startedAt, endedAt, List.of());
    }
}
