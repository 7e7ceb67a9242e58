package io.bktec.stream;

import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a result file and the results stream disagree about the same process. The stream wins; the differences
 * are for --debug (e.g. the collector writes a test whose teardown raised as passed).
 */
public final class ResultComparison {
    private ResultComparison() {
    }

    /** One line per test whose outcome differs or that only one side has, in the stream's order then the file's. */
    public static List<String> differences(List<TestResult> stream, List<TestResult> file) {
        Map<String, TestStatus> fileStatus = new LinkedHashMap<>();
        for (TestResult result : file) {
            fileStatus.merge(result.nodeId(), result.status(),
                    (a, b) -> a == TestStatus.FAILED || b == TestStatus.FAILED ? TestStatus.FAILED : b);
        }
        List<String> differences = new ArrayList<>();
        Map<String, Boolean> inStream = new LinkedHashMap<>();
        for (TestResult result : stream) {
            inStream.put(result.nodeId(), true);
            if (result.status() == TestStatus.NOT_RUN || result.crashed()) {
                continue; // a process that died wrote no complete file to compare with
            }
            TestStatus other = fileStatus.get(result.nodeId());
            if (other == null) {
                differences.add(result.nodeId() + ": " + word(result.status()) + " in the results stream, absent from the result file");
            } else if (other != result.status()) {
                differences.add(result.nodeId() + ": " + word(result.status()) + " in the results stream"
                        + (result.failureReason().isEmpty() ? "" : " (" + result.failureReason() + ")")
                        + ", " + word(other) + " in the result file");
            }
        }
        fileStatus.forEach((nodeId, status) -> {
            if (!inStream.containsKey(nodeId)) {
                differences.add(nodeId + ": " + word(status) + " in the result file, absent from the results stream");
            }
        });
        return differences;
    }

    private static String word(TestStatus status) {
        return status.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
