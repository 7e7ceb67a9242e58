package io.bktec.run;

import java.util.Comparator;
import java.util.List;

/** Every batch of one attempt, in batch order (whatever order they finished in). */
public record AttemptOutcome(int attempt, List<BatchOutcome> batches) {
    public AttemptOutcome {
        batches = batches.stream().sorted(Comparator.comparingInt(b -> b.batch().index())).toList();
    }
}
