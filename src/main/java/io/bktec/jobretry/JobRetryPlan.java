package io.bktec.jobretry;

import io.bktec.config.Config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a job runs of its share, given what the attempt before it recorded: the decision alone, no I/O. A retried job
 * runs only the recorded tests when the record is there, readable and written for the same share; anything else
 * runs the whole share, with the reason.
 */
public final class JobRetryPlan {
    private JobRetryPlan() {
    }

    /** What asking the store for the previous attempt's record found. */
    public sealed interface Lookup permits Found, Absent, Unanswered {
    }

    public record Found(String value) implements Lookup {
    }

    public record Absent() implements Lookup {
    }

    /** @param why one line: what failed (the agent is missing, or exited 1) */
    public record Unanswered(String why) implements Lookup {
    }

    /** The meta-data key of the record attempt {@code attempt} of this share's job writes. */
    public static String key(String step, int index, int attempt) {
        return "bktec-failed-tests:" + step + ":" + index + ":" + attempt;
    }

    /** Whether the job must look for a record before it runs (a retried job that reruns only failures). */
    public static boolean looksForRecord(Config.JobAttempt job) {
        return job.attempt() >= 1 && job.rerunOnlyFailures();
    }

    /** The scope of a job that does not look for a record. */
    public static JobScope withoutRecord(Config.JobAttempt job, List<String> share) {
        return new JobScope.Whole(job.attempt(), share, job.attempt() == 0 ? Optional.empty()
                : Optional.of("BUILDKITE_TEST_ENGINE_JOB_RETRY is all"));
    }

    public static JobScope decide(Config.JobAttempt job, NodeShare here, List<String> share, Lookup lookup) {
        if (!looksForRecord(job)) {
            return withoutRecord(job, share);
        }
        String previous = "attempt " + (job.attempt() - 1);
        String why;
        if (lookup instanceof Unanswered unanswered) {
            why = "could not read " + previous + "'s record of failed tests (" + unanswered.why() + ")";
        } else if (lookup instanceof Absent) {
            why = previous + " left no record of failed tests (it passed, was cancelled, or did not record)";
        } else {
            Optional<FailureRecord> record = RecordCodec.decode(((Found) lookup).value());
            if (record.isEmpty()) {
                why = previous + "'s record of failed tests is unreadable (meta-data "
                        + key(here.step(), here.index(), job.attempt() - 1) + ")";
            } else if (here.mismatch(record.get().node()).isPresent()) {
                why = previous + "'s record of failed tests does not apply: " + here.mismatch(record.get().node()).get();
            } else if (record.get() instanceof FailureRecord.TooMany tooMany) {
                why = String.format(Locale.ROOT, "%s left %,d tests failing or unrun, too many to record in build "
                        + "meta-data (%d KB at most)", previous, tooMany.count(), RecordCodec.META_DATA_LIMIT_BYTES / 1024);
            } else {
                FailureRecord.Listed listed = (FailureRecord.Listed) record.get();
                return new JobScope.FailuresOnly(job.attempt(), listed.tests(), listed.shareSize());
            }
        }
        return new JobScope.Whole(job.attempt(), share, Optional.of(why));
    }
}
