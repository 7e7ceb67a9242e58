package io.bktec.coverage;

import java.util.OptionalDouble;

/**
 * What measured one test process's coverage, as bktec's plugin saw it (its "coverage" event): pytest-cov, with the
 * reports and fail-under the user asked for, or {@code coverage run} as the test command.
 *
 * @param measuredBy  "pytest-cov" or "coverage"
 * @param executable  the Python that ran pytest, which has coverage: it combines the data at the end
 * @param directory   where pytest ran, which relative report paths and the data file are taken from
 * @param failUnder   --cov-fail-under (or the configuration's fail_under), judged once on the whole run
 * @param noCovOnFail --no-cov-on-fail: no reports when the run fails
 * @param event       the event as the plugin wrote it, handed on to the helper that combines (it reads the reports)
 */
public record CoverageSetup(String measuredBy, String executable, String directory, OptionalDouble failUnder,
                            boolean noCovOnFail, String event) {
    public boolean pytestCov() {
        return measuredBy.equals("pytest-cov");
    }
}
