package io.bktec.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Streams the results in one result file to a consumer, in file order, without holding the document in memory. */
public interface ResultReader {
    void read(Path file, Consumer<TestResult> sink) throws IOException, ResultFormatException;

    /**
     * Loads and initialises what reading needs, by reading a tiny document from memory. Called while the tests run
     * (the JVM is otherwise idle then), so reading their results, which the run waits for, starts warm. Never throws.
     */
    default void prepare() {
    }
}
