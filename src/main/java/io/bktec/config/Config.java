package io.bktec.config;

import java.time.Duration;
import java.util.Optional;

/**
 * A validated configuration for `bktec run`. Optional fields are absent when the user left them unset, so the
 * runner can pick its own defaults.
 */
public record Config(
        RunnerName runner,
        Optional<String> testCommand,
        Optional<String> retryCommand,
        Optional<String> resultPath,
        Optional<String> filePattern,
        String fileExcludePattern,
        Optional<String> filesList,
        Optional<String> selectorFile,
        int retryCount,
        boolean retryMutedTests,
        int parallelJob,
        int parallelism,
        boolean failOnNoTests,
        String locationPrefix,
        int batchSize,
        int concurrency,
        Duration cancelGracePeriod,
        Duration testTimeout,
        JobAttempt job,
        Optional<RetryLimit> retryMaxFailures,
        boolean splitByExample,
        Optional<TagFilter> tagFilter,
        int maxParallelism,
        Duration targetTime,
        Optional<ApiSettings> api,
        String uploadToken,
        Optional<Boolean> annotate,
        boolean promiseFailure,
        String agentCommand,
        Optional<String> durationsFile,
        boolean writeDurations,
        Optional<UploadSettings> upload,
        boolean resultsStream,
        boolean workers,
        boolean forkServer,
        boolean debug) {

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

    /** Present when result upload is on. */
    public record UploadSettings(String baseUrl, java.util.Map<String, String> tags, Duration retryBudget) {
        public UploadSettings {
            tags = java.util.Map.copyOf(tags);
        }
    }

    /** Present only when a suite slug is set, i.e. in API mode. */
    public record ApiSettings(String suiteSlug, String organizationSlug, String accessToken, String baseUrl,
                              String planIdentifier, int jobRetryCount, String branch, String jobId, String buildId,
                              String stepId, boolean tokenFromOidc, Duration attemptTimeout, Duration retryBudget) {
        @Override
        public String toString() {
            // Never let the token reach a log line through toString().
            return "ApiSettings[suiteSlug=" + suiteSlug + ", organizationSlug=" + organizationSlug
                    + ", accessToken=" + (accessToken.isEmpty() ? "" : "[REDACTED]") + ", baseUrl=" + baseUrl
                    + ", planIdentifier=" + planIdentifier + ", jobRetryCount=" + jobRetryCount + ", branch=" + branch
                    + ", jobId=" + jobId + ", buildId=" + buildId + ", stepId=" + stepId + ", tokenFromOidc="
                    + tokenFromOidc + "]";
        }
    }

    public boolean localMode() {
        return api.isEmpty();
    }

    @Override
    public String toString() {
        return "Config[runner=" + runner.id() + ", testCommand=" + testCommand.orElse("<default>")
                + ", retryCommand=" + retryCommand.orElse("<test command>") + ", resultPath=" + resultPath.orElse("<temporary>")
                + ", filePattern=" + filePattern.orElse("<default>") + ", fileExcludePattern=" + fileExcludePattern
                + ", filesList=" + filesList.orElse("") + ", selectorFile=" + selectorFile.orElse("") + ", retryCount=" + retryCount + ", retryMutedTests=" + retryMutedTests
                + ", parallelJob=" + parallelJob + ", parallelism=" + parallelism + ", failOnNoTests=" + failOnNoTests
                + ", locationPrefix=" + locationPrefix + ", batchSize=" + batchSize + ", concurrency=" + concurrency
                + ", cancelGracePeriod=" + GoValues.format(cancelGracePeriod) + ", testTimeout="
                + GoValues.format(testTimeout) + ", job=" + job + ", retryMaxFailures="
                + retryMaxFailures.map(RetryLimit::describe).orElse("<none>") + ", splitByExample=" + splitByExample
                + ", tagFilter=" + tagFilter.map(TagFilter::argument).orElse("<none>")
                + ", maxParallelism=" + maxParallelism + ", targetTime=" + GoValues.format(targetTime) + ", api=" + api.map(Object::toString).orElse("<local mode>")
                + ", uploadToken=" + (uploadToken.isEmpty() ? "" : "[REDACTED]") + ", annotate="
                + annotate.map(Object::toString).orElse("<auto>") + ", upload=" + upload.map(Object::toString).orElse("off")
                + ", promiseFailure=" + promiseFailure + ", agentCommand=" + agentCommand + ", durationsFile=" + durationsFile.orElse("<.test_durations if present>") + ", writeDurations="
                + writeDurations + ", resultsStream=" + resultsStream + ", workers=" + workers + ", forkServer=" + forkServer + ", debug=" + debug + "]";
    }
}
