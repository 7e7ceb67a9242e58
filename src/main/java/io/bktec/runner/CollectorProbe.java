package io.bktec.runner;

/** Answers whether buildkite-test-collector is importable by the Python that runs the tests. */
@FunctionalInterface
public interface CollectorProbe {
    boolean collectorInstalled();
}
