package io.bktec.jobretry;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What this job runs of its node's share: all of it, or (a retried job) only what the attempt before left failing. */
public sealed interface JobScope permits JobScope.Whole, JobScope.FailuresOnly {
    /** BUILDKITE_RETRY_COUNT: 0 for the job's first run. */
    int attempt();

    /** The tests to give the run. */
    List<String> tests();

    /** The one line said before the tests run, when there is something to say. */
    Optional<String> notice();

    /** For the summary and the annotation: which attempt of the job this was and what it ran. */
    String ran(int testsRun);

    /** How many tests the node's share had in the job's first attempt, as this run knows it. */
    int shareSize(int testsRun);

    /**
     * The whole share.
     *
     * @param reason why a retried job runs everything (empty on the job's first attempt)
     */
    record Whole(int attempt, List<String> tests, Optional<String> reason) implements JobScope {
        public Whole {
            tests = List.copyOf(tests);
        }

        @Override
        public Optional<String> notice() {
            return reason.map(why -> JobScope.attemptName(attempt) + " runs this node's whole share: " + why);
        }

        @Override
        public String ran(int testsRun) {
            return JobScope.attemptName(attempt) + ": ran all " + JobScope.count(testsRun) + " of this node"
                    + reason.map(why -> " (" + why + ")").orElse("");
        }

        @Override
        public int shareSize(int testsRun) {
            return testsRun;
        }
    }

    /** Only the tests the attempt before left failing or unrun. */
    record FailuresOnly(int attempt, List<String> tests, int shareSize) implements JobScope {
        public FailuresOnly {
            tests = List.copyOf(tests);
        }

        @Override
        public Optional<String> notice() {
            return Optional.of(JobScope.attemptName(attempt) + " reruns only the " + tests.size() + " of "
                    + JobScope.count(shareSize) + " that attempt " + (attempt - 1) + " left failing or unrun on this "
                    + "node (BUILDKITE_TEST_ENGINE_JOB_RETRY=all runs them all)");
        }

        @Override
        public String ran(int testsRun) {
            return JobScope.attemptName(attempt) + ": ran " + testsRun + " of " + JobScope.count(shareSize)
                    + ", those attempt " + (attempt - 1) + " left failing or unrun";
        }

        @Override
        public int shareSize(int testsRun) {
            return shareSize;
        }
    }

    private static String attemptName(int attempt) {
        return "job attempt " + attempt + (attempt == 0 ? "" : " (BUILDKITE_RETRY_COUNT=" + attempt + ")");
    }

    private static String count(int tests) {
        return String.format(Locale.ROOT, "%,d test%s", tests, tests == 1 ? "" : "s");
    }
}
