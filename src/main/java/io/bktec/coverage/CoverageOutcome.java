package io.bktec.coverage;

import java.util.OptionalDouble;

/** The run's coverage, once every test process's data has been combined. */
public sealed interface CoverageOutcome {
    /** Nothing measured coverage: nothing to combine. */
    record None() implements CoverageOutcome {
    }

    /**
     * The data combined into the user's data file (and, for pytest-cov, the reports written).
     *
     * @param total     the total coverage, in percent (for pytest-cov)
     * @param under     the total misses {@code failUnder}
     * @param processes how many data files were combined
     * @param output    what the combination printed: the terminal report and where each report went
     */
    record Combined(String dataFile, OptionalDouble total, OptionalDouble failUnder, boolean under, int processes,
                    String output) implements CoverageOutcome {
    }

    /** The combination failed: {@code reason} in one line. A fail-under asked for cannot have been judged. */
    record Failed(String reason, OptionalDouble failUnder) implements CoverageOutcome {
    }
}
