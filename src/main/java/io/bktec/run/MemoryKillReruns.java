package io.bktec.run;

import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.BatchOutcome;
import io.bktec.outcome.ProcessEnding;
import io.bktec.watch.Interruption;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The step after an attempt (batches or workers alike) in which the kernel killed tests for want of memory: each runs
 * once more, alone, after the rest of the attempt, since the memory may have been another process's. What each does
 * alone is its result (it is not counted as a retry).
 */
final class MemoryKillReruns {
    private final RunContext context;
    private final BatchAttempt batches;

    MemoryKillReruns(RunContext context, BatchAttempt batches) {
        this.context = context;
        this.batches = batches;
    }

    Mono<AttemptOutcome> after(AttemptPlan plan, AttemptOutcome done) {
        List<String> killed = killed(done);
        if (killed.isEmpty() || context.registry().cancelled()) {
            return Mono.just(done);
        }
        context.listener().notice(killed.size() + " test" + (killed.size() == 1 ? " was" : "s were") + " killed by "
                + "the kernel for want of memory: running " + (killed.size() == 1 ? "it" : "each") + " once more, alone");
        int after = done.batches().stream().mapToInt(b -> b.batch().index()).max().orElse(0);
        return batches.eachAlone(plan, killed, after, "alone: it was killed for want of memory").map(alone -> {
            List<BatchOutcome> all = new ArrayList<>(done.batches());
            all.addAll(alone);
            return new AttemptOutcome(done.attempt(), all, done.startedAt(), Instant.now(), done.unassigned());
        });
    }

    /** The tests the kernel killed for want of memory, each once. */
    static List<String> killed(AttemptOutcome done) {
        return done.batches().stream()
                .flatMap(b -> b.stream().stream())
                .filter(s -> s.ending() instanceof ProcessEnding.Interrupted i
                        && i.interruption() instanceof Interruption.OutOfMemory)
                .flatMap(s -> s.crashedTests().stream()).distinct().toList();
    }
}
