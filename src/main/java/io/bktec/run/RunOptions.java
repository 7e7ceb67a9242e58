package io.bktec.run;

import java.util.Optional;

/**
 * How the pipeline runs a node's tests.
 *
 * @param retryCount       retry attempts allowed after the first
 * @param retryMuted       whether failed muted tests are retried too
 * @param batchSize        most tests per process, 0 for no count limit
 * @param concurrency      processes at once
 * @param maxArgumentBytes argv bytes per process before a batch is cut
 * @param weight           expected seconds of a test file or node id, for ordering the work queue
 * @param weightsKnown     whether {@code weight} comes from real durations
 * @param workers          above concurrency 1, feed persistent pytest workers file by file instead of batches
 *                         (when bktec's plugin is on and no batch size is set)
 * @param forkServer       workers are forked from one pytest that has started up, not started one by one
 * @param compareResultFiles read each result file beside its results stream and list where they differ (for
 *                           {@code --debug}); otherwise a result file the stream stands for is not parsed at all
 * @param retryMaxFailures   an attempt with more failed tests than this is not retried (the build is broken)
 */
public record RunOptions(int retryCount, boolean retryMuted, int batchSize, int concurrency, int maxArgumentBytes,
                         java.util.function.ToDoubleFunction<String> weight, boolean weightsKnown, boolean workers,
                         boolean forkServer, boolean compareResultFiles,
                         Optional<io.bktec.config.RetryLimit> retryMaxFailures) {

    public RunOptions(int retryCount, boolean retryMuted, int batchSize, int concurrency, int maxArgumentBytes,
                      java.util.function.ToDoubleFunction<String> weight, boolean weightsKnown, boolean workers,
                      boolean forkServer, boolean compareResultFiles) {
        this(retryCount, retryMuted, batchSize, concurrency, maxArgumentBytes, weight, weightsKnown, workers, forkServer,
                compareResultFiles, Optional.empty());
    }

    public RunOptions(int retryCount, boolean retryMuted, int batchSize, int concurrency, int maxArgumentBytes,
                      java.util.function.ToDoubleFunction<String> weight, boolean weightsKnown, boolean workers) {
        this(retryCount, retryMuted, batchSize, concurrency, maxArgumentBytes, weight, weightsKnown, workers, true,
                false);
    }

    public RunOptions(int retryCount, boolean retryMuted, int batchSize, int concurrency, int maxArgumentBytes,
                      java.util.function.ToDoubleFunction<String> weight, boolean weightsKnown) {
        this(retryCount, retryMuted, batchSize, concurrency, maxArgumentBytes, weight, weightsKnown, false);
    }

    public RunOptions(int retryCount, boolean retryMuted, int batchSize, int concurrency, int maxArgumentBytes) {
        this(retryCount, retryMuted, batchSize, concurrency, maxArgumentBytes, test -> 1.0, false);
    }
}
