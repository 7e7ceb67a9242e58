package io.bktec.run;

import io.bktec.results.TestResult;

import java.util.List;

/** What reading one batch's result file gave. */
public sealed interface ResultsRead {
    record Read(List<TestResult> results) implements ResultsRead {
        public Read {
            results = List.copyOf(results);
        }
    }

    /** The process wrote no result file. */
    record Missing() implements ResultsRead {
    }

    /** The file exists but could not be parsed. */
    record Unreadable(String reason) implements ResultsRead {
    }

    default List<TestResult> results() {
        return this instanceof Read read ? read.results() : List.of();
    }

    default boolean readable() {
        return this instanceof Read;
    }
}
