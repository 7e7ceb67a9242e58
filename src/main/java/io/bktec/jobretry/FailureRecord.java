package io.bktec.jobretry;

import java.util.List;

/**
 * What a red job left for its retry: the tests of its share that failed or never ran, as the runner takes them, or
 * only their count when there were too many to store.
 */
public sealed interface FailureRecord permits FailureRecord.Listed, FailureRecord.TooMany {
    /** The share the record was written for. */
    NodeShare node();

    /** How many tests the share had in the job's first attempt (the "of 40" in "ran 3 of 40"). */
    int shareSize();

    /** How many tests failed or never ran. */
    int count();

    record Listed(NodeShare node, int shareSize, List<String> tests) implements FailureRecord {
        public Listed {
            tests = List.copyOf(tests);
        }

        @Override
        public int count() {
            return tests.size();
        }
    }

    /** The list would not fit the store: the retry runs everything, and says why. */
    record TooMany(NodeShare node, int shareSize, int count) implements FailureRecord {
    }
}
