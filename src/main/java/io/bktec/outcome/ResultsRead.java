package io.bktec.outcome;

import io.bktec.results.TestResult;

import java.util.List;

/** What a batch's results are: its result file, or the results stream of bktec's pytest plugin. */
public sealed interface ResultsRead {
    record Read(List<TestResult> results) implements ResultsRead {
        public Read {
            results = List.copyOf(results);
        }
    }

    /** The process wrote no result file. */
    record Missing() implements ResultsRead {
    }

    /** The result file was not parsed: its results stream stands for it, and no comparison was asked for. */
    record NotRead() implements ResultsRead {
    }

    /** The file exists but could not be parsed. */
    record Unreadable(String reason) implements ResultsRead {
    }

    /**
     * The results stream had a session: its results stand, whatever the result file (read beside it, for upload
     * and comparison) says.
     *
     * @param disagreements where the result file differs from the stream, one line each
     */
    record Streamed(StreamOutcome stream, ResultsRead file, List<String> disagreements) implements ResultsRead {
        public Streamed {
            disagreements = List.copyOf(disagreements);
        }

        @Override
        public List<TestResult> results() {
            return stream.results();
        }
    }

    default List<TestResult> results() {
        return this instanceof Read read ? read.results() : List.of();
    }

    default boolean readable() {
        return this instanceof Read || this instanceof Streamed;
    }
}
