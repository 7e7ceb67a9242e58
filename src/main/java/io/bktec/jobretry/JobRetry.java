package io.bktec.jobretry;

import io.bktec.config.Config;
import io.bktec.outcome.RunReport;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A Buildkite job's retries in local mode: before the run, what this attempt of the job runs (a retried job only what
 * the attempt before it left failing); after a red run, the record of what this attempt left failing, for the next.
 * Records live in the build's meta-data, one key per step, parallel index and attempt. Blocking: call it off the
 * event loop.
 */
public final class JobRetry {
    private final Config config;
    private final AgentMetaData metaData;

    public JobRetry(Config config, AgentMetaData metaData) {
        this.config = config;
        this.metaData = metaData;
    }

    /** Whether this job keeps records: local mode, under Buildkite (a build and a step to keep them for). */
    public static boolean applies(Config config) {
        return config.localMode() && config.job().attempt().identified();
    }

    /** @param share the tests the node's plan gives it */
    public JobScope scope(List<String> share) {
        Config.JobAttempt job = config.job().attempt();
        if (!JobRetryPlan.looksForRecord(job)) {
            return JobRetryPlan.withoutRecord(job, share);
        }
        String key = JobRetryPlan.key(job.stepId(), config.plan().parallelJob(), job.attempt() - 1);
        return JobRetryPlan.decide(job, node(share), share, metaData.read(key));
    }

    /** A note on the record for the next attempt: written, or why not. */
    public record Note(boolean warning, String text) {
    }

    /**
     * Records what a red run left failing or unrun for a retry of this job; nothing for a green or cancelled run.
     *
     * @param share the tests the node's plan gives it (the record is for this share only)
     */
    public Optional<Note> record(List<String> share, JobScope scope, RunReport report, Set<String> mutedTests) {
        int code = report.decision().code();
        if (code == 0 || code > 128) {
            return Optional.empty();
        }
        Config.JobAttempt job = config.job().attempt();
        String key = JobRetryPlan.key(job.stepId(), config.plan().parallelJob(), job.attempt());
        if (!report.coverageSetups().isEmpty()) {
            return Optional.of(new Note(false, "no record of failed tests for a retry of this job: the run measured "
                    + "coverage, which a rerun of a few tests would understate, so a retry runs everything"));
        }
        List<String> left = Leftovers.of(report.ledger(), mutedTests);
        if (left.isEmpty()) {
            return Optional.of(new Note(false, "no record of failed tests for a retry of this job: the run failed "
                    + "without a failed test to name, so a retry runs everything"));
        }
        FailureRecord record = new FailureRecord.Listed(node(share), scope.shareSize(report.summary().total()), left);
        RecordCodec.Encoded encoded = RecordCodec.encode(record, RecordCodec.META_DATA_LIMIT_BYTES);
        Optional<String> fault = metaData.write(key, encoded.value());
        if (fault.isPresent()) {
            return Optional.of(new Note(true, "could not record the failed tests for a retry of this job, which will "
                    + "run everything: " + fault.get()));
        }
        return Optional.of(new Note(false, encoded.stored() instanceof FailureRecord.Listed
                ? String.format(Locale.ROOT, "recorded the %,d test%s left failing or unrun for a retry of this job "
                + "(build meta-data %s)", left.size(), left.size() == 1 ? "" : "s", key)
                : String.format(Locale.ROOT, "%,d tests left failing or unrun are too many to record in build meta-data:"
                + " a retry of this job runs everything", left.size())));
    }

    private NodeShare node(List<String> share) {
        return NodeShare.of(config.job().attempt().stepId(), config.plan().parallelJob(), config.plan().parallelism(), share);
    }
}
