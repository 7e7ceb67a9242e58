package io.bktec.plan;

import java.util.List;

/** What one node runs. */
public record Task(List<TestCase> tests) {
    public Task {
        tests = List.copyOf(tests);
    }

    public static Task empty() {
        return new Task(List.of());
    }

    public boolean isEmpty() {
        return tests.isEmpty();
    }
}
