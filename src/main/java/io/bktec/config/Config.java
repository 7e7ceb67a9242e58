package io.bktec.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A validated configuration for `bktec run` and `bktec plan`, grouped by what uses it: each group is built by its own
 * method of {@link ConfigLoader}. Optional fields are absent when the user left them unset, so the runner can pick its
 * own defaults. Secrets are {@link Secret}s, so printing a configuration shows none.
 *
 * @param api present only when a suite slug is set, i.e. in API mode
 */
public record Config(RunnerName runner, Commands commands, FileSelection files, PlanSettings plan, RetrySettings retry,
                     ProcessSettings processes, Optional<ApiSettings> api, UploadSettings upload, JobSettings job,
                     boolean debug) {

    /** The commands the runner runs, and where the test command writes its results. */
    public record Commands(Optional<String> test, Optional<String> retry, Optional<String> resultPath) {
    }

    /** Which test files are found and which tests they are narrowed to. */
    public record FileSelection(Optional<String> pattern, String excludePattern, Optional<String> list,
                                Optional<String> selectorFile, Optional<TagFilter> tagFilter) {
    }

    /**
     * How the plan is made: this node's share of the parallel jobs, and what the local planner weighs with.
     *
     * @param failOnNoTests a node with no tests to run fails instead of passing
     */
    public record PlanSettings(int parallelJob, int parallelism, boolean splitByExample, int maxParallelism,
                               Duration targetTime, String locationPrefix, boolean failOnNoTests,
                               Optional<String> durationsFile, boolean writeDurations) {
    }

    /**
     * @param count       retry attempts allowed after the first
     * @param muted       failed muted tests are retried too
     * @param maxFailures an attempt with more failed tests than this is not retried (the build is broken)
     */
    public record RetrySettings(int count, boolean muted, Optional<RetryLimit> maxFailures) {
    }

    /** How the test processes run: how many at once, how long they may take, and what bktec's plugin does in them. */
    public record ProcessSettings(int batchSize, int concurrency, Duration cancelGracePeriod, Duration testTimeout,
                                  boolean resultsStream, boolean workers, boolean forkServer) {
    }

    /** The Test Engine API: where, for which suite and build, and with what token. */
    public record ApiSettings(String suiteSlug, String organizationSlug, Secret accessToken, String baseUrl,
                              String planIdentifier, int jobRetryCount, String branch, String jobId, String buildId,
                              String stepId, boolean tokenFromOidc, Duration attemptTimeout, Duration retryBudget) {
    }

    /**
     * Result upload.
     *
     * @param token       the upload token (BUILDKITE_ANALYTICS_TOKEN)
     * @param destination present when upload is on and there is a token to upload with
     */
    public record UploadSettings(Secret token, Optional<Destination> destination) {
        /** Where results go, tagged how, and how long uploading may take in all. */
        public record Destination(String baseUrl, Map<String, String> tags, Duration retryBudget) {
            public Destination {
                tags = Map.copyOf(tags);
            }
        }
    }

    /**
     * This Buildkite job, and what it tells the agent.
     *
     * @param annotate     annotate the build with failures; empty: decide from the job
     * @param agentCommand the buildkite-agent program
     */
    public record JobSettings(JobAttempt attempt, Optional<Boolean> annotate, boolean promiseFailure,
                              String agentCommand) {
    }

    /**
     * This Buildkite job, as a retried job needs to know it.
     *
     * @param attempt           BUILDKITE_RETRY_COUNT: 0 for the job's first run
     * @param rerunOnlyFailures on a retried job, run only what the attempt before left failing (job-retry: failed)
     */
    public record JobAttempt(String buildId, String stepId, int attempt, boolean rerunOnlyFailures) {
        /** Whether the job is under Buildkite, with a build and a step to keep records for. */
        public boolean identified() {
            return !buildId.isEmpty() && !stepId.isEmpty();
        }
    }

    public boolean localMode() {
        return api.isEmpty();
    }
}
