package io.bktec.run;

import io.bktec.config.RetryLimit;
import io.bktec.outcome.AttemptOutcome;
import io.bktec.outcome.BatchOutcome;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether an attempt failed too widely to be worth retrying test by test (BUILDKITE_TEST_ENGINE_RETRY_MAX_FAILURES):
 * a change that breaks 2,000 tests says so in one attempt. Muted failures do not count. A percentage is of the run's
 * tests (on the first attempt, the attempt's own), since a retry's tests are all failures of the attempt before. Pure.
 */
final class RetryRefusal {
    private RetryRefusal() {
    }

    /** "2,000 tests failed, more than the 10 % limit" when the attempt's unmuted failures exceed the limit. */
    /** @param runTests how many distinct tests the run has seen so far, this attempt's included */
    static Optional<String> of(RetryLimit limit, AttemptOutcome attempt, int runTests, Predicate<TestResult> muted) {
        Set<String> failed = new HashSet<>();
        for (BatchOutcome batch : attempt.batches()) {
            for (TestResult result : batch.results().results()) {
                if (result.status() == TestStatus.FAILED && !muted.test(result)) {
                    failed.add(result.identity());
                }
            }
        }
        if (!limit.exceededBy(failed.size(), runTests)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%,d test%s failed, more than %s", failed.size(),
                failed.size() == 1 ? "" : "s", limit.describe()));
    }
}
