package io.bktec.outcome;

import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * Counts and lists for the end-of-run report. Muted tests are counted only as muted, as bktec does. "Passed on retry"
 * counts flaky tests (failed, then passed) and tests that first ran on a retry (their first session stopped or died
 * before them); "passed first run" only tests that passed the first time they were meant to run.
 */
public record RunSummary(int passedFirstRun, int passedOnRetry, int failed, int skipped, int mutedPassed,
                         int mutedFailed, int unknown, int notRun, List<TestResult> failedTests,
                         List<TestResult> flakyTests, List<TestResult> mutedTests, List<TestResult> collectionErrors,
                         List<TestResult> notRunTests, List<TestResult> ranOnRetryTests) {

    public RunSummary(int passedFirstRun, int passedOnRetry, int failed, int skipped, int mutedPassed,
                      int mutedFailed, int unknown, int notRun, List<TestResult> failedTests,
                      List<TestResult> flakyTests, List<TestResult> mutedTests, List<TestResult> collectionErrors,
                      List<TestResult> notRunTests) {
        this(passedFirstRun, passedOnRetry, failed, skipped, mutedPassed, mutedFailed, unknown, notRun, failedTests,
                flakyTests, mutedTests, collectionErrors, notRunTests, List.of());
    }

    /** The muted tests whose latest result is a failure. */
    public List<TestResult> mutedFailures() {
        return mutedTests.stream().filter(t -> t.status() == TestStatus.FAILED).toList();
    }

    public int total() {
        return passedFirstRun + passedOnRetry + failed + skipped + mutedPassed + mutedFailed + unknown + notRun;
    }

    /** The summary of a run's records; {@code muted} says whether a test's result is muted. */
    public static RunSummary of(Collection<TestRecord> records, Predicate<TestResult> muted) {
        int passedFirstRun = 0;
        int passedOnRetry = 0;
        int failed = 0;
        int skipped = 0;
        int mutedPassed = 0;
        int mutedFailed = 0;
        int unknown = 0;
        int notRun = 0;
        List<TestResult> notRunTests = new ArrayList<>();
        List<TestResult> failedTests = new ArrayList<>();
        List<TestResult> flaky = new ArrayList<>();
        List<TestResult> ranOnRetry = new ArrayList<>();
        List<TestResult> mutedTests = new ArrayList<>();
        List<TestResult> collectionErrors = new ArrayList<>();
        for (TestRecord record : records) {
            TestResult latest = record.latest();
            boolean isMuted = muted.test(latest);
            if (isMuted && latest.status() != TestStatus.SKIPPED && latest.status() != TestStatus.NOT_RUN) {
                mutedTests.add(latest);
            }
            if (latest.collectionError()) {
                collectionErrors.add(latest);
            }
            switch (latest.status()) {
                case PASSED -> {
                    if (isMuted) {
                        mutedPassed++;
                    } else if (record.everFailed()) {
                        passedOnRetry++;
                        flaky.add(latest);
                    } else if (record.missedRun()) {
                        passedOnRetry++;
                        ranOnRetry.add(latest);
                    } else {
                        passedFirstRun++;
                    }
                }
                case FAILED -> {
                    if (isMuted) {
                        mutedFailed++;
                    } else {
                        failed++;
                        failedTests.add(latest);
                    }
                }
                case SKIPPED -> skipped++;
                case UNKNOWN -> unknown++;
                case NOT_RUN -> {
                    notRun++;
                    notRunTests.add(latest);
                }
            }
        }
        return new RunSummary(passedFirstRun, passedOnRetry, failed, skipped, mutedPassed, mutedFailed, unknown, notRun,
                List.copyOf(failedTests), List.copyOf(flaky), List.copyOf(mutedTests), List.copyOf(collectionErrors),
                List.copyOf(notRunTests), List.copyOf(ranOnRetry));
    }
}
