package io.bktec.run;

/**
 * How the pipeline runs a node's tests.
 *
 * @param retryCount       retry attempts allowed after the first
 * @param retryMuted       whether failed muted tests are retried too
 * @param batchSize        most tests per process, 0 for no count limit
 * @param concurrency      processes at once
 * @param maxArgumentBytes argv bytes per process before a batch is cut
 */
public record RunOptions(int retryCount, boolean retryMuted, int batchSize, int concurrency, int maxArgumentBytes) {
}
