package io.bktec.run;

import io.bktec.results.TestResult;

/**
 * Everything the run knows about one test.
 *
 * @param latest     its most recent result
 * @param executions how many attempts reported it
 * @param everFailed some attempt reported it failed
 */
public record TestRecord(TestResult latest, int executions, boolean everFailed) {
}
