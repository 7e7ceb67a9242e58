package io.bktec.run;

import io.bktec.results.ResultReader;
import io.bktec.runner.CommandTemplate;

import java.util.List;
import java.util.Set;

/**
 * One attempt, as the retry loop hands it to the batches or the workers.
 *
 * @param number   0 for the first run, k for the k-th retry
 * @param tests    what it runs (plan paths: files, or node ids on a retry)
 * @param notRun   how many of them never ran in the attempt before (the console says so)
 * @param isolated tests that crashed their process last time: they run in a batch of their own (or last, with
 *                 workers), so that a crash that repeats cannot keep the other tests from running
 * @param template the test command (the retry command on a retry)
 * @param reader   reads the attempt's result files
 */
record AttemptPlan(int number, List<String> tests, int notRun, Set<String> isolated, CommandTemplate template,
                   ResultReader reader) {
    AttemptPlan {
        tests = List.copyOf(tests);
        isolated = Set.copyOf(isolated);
    }
}
