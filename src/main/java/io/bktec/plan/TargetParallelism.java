package io.bktec.plan;

import java.time.Duration;
import java.util.function.IntFunction;

/**
 * The smallest parallelism whose plan's slowest node is predicted to meet a target time, up to a maximum; the
 * maximum when none does. What the Test Engine's server does with target time, done locally.
 */
public final class TargetParallelism {
    private TargetParallelism() {
    }

    /** @param met whether the chosen plan's slowest node meets the target */
    public record Choice(LocalPlan plan, boolean met) {
    }

    /** @param planAt the plan at a given parallelism */
    public static Choice choose(IntFunction<LocalPlan> planAt, Duration target, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the maximum parallelism must be at least 1, was " + max);
        }
        double targetSeconds = target.toNanos() / 1e9;
        LocalPlan plan = null;
        for (int parallelism = 1; parallelism <= max; parallelism++) {
            plan = planAt.apply(parallelism);
            if (plan.slowestSeconds() <= targetSeconds) {
                return new Choice(plan, true);
            }
        }
        return new Choice(plan, false);
    }
}
