package io.bktec.run;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Every batch of one attempt, in batch order (whatever order they finished in), and when the attempt ran. */
public record AttemptOutcome(int attempt, List<BatchOutcome> batches, Instant startedAt, Instant endedAt) {
    public AttemptOutcome {
        batches = batches.stream().sorted(Comparator.comparingInt(b -> b.batch().index())).toList();
    }
}
