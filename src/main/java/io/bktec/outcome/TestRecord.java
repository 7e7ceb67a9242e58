package io.bktec.outcome;

import io.bktec.results.TestResult;

/**
 * Everything the run knows about one test.
 *
 * @param latest     its most recent result
 * @param executions how many attempts reported it
 * @param everFailed some attempt reported it failed
 * @param missedRun  some attempt was meant to run it and did not (its session stopped or its process died first)
 */
public record TestRecord(TestResult latest, int executions, boolean everFailed, boolean missedRun) {
}
