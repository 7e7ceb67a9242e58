package io.bktec.plan;

/**
 * What the local planner deals to nodes: a test file, or one test of a file split into its tests.
 *
 * @param runnable the file path, or the node id
 * @param example  a single test (a file split by example)
 * @param weight   expected seconds
 */
public record PlanItem(String runnable, boolean example, double weight) {
    public TestCase testCase() {
        return example ? TestCase.example(runnable, "", "") : TestCase.file(runnable);
    }
}
