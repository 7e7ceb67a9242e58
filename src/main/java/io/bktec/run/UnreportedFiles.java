package io.bktec.run;

import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import io.bktec.worker.WorkItem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Without bktec's plugin, only the result file tells what a process ran, and it cannot say what a session stopped
 * before ({@code -x}, {@code pytest.exit(returncode=0)}, a plugin's stop). So after a process that exited 0 or 1, the
 * planned files that come after the last file with any result (pytest runs its arguments in order) and that hold
 * code are named as not run. Files before that point, or empty ones, had nothing to report. When the command selects tests itself
 * ({@code -k}, {@code -m}, {@code --deselect}) a file with no result may just have had none selected, so nothing
 * is named. Pure: no I/O beyond the given predicate.
 */
final class UnreportedFiles {
    /** Words of a test command after which a file with no result may simply have had no test selected. */
    private static final List<String> SELECTING = List.of("-k", "-m", "--deselect");

    private UnreportedFiles() {
    }

    /**
     * @param planned      the process's arguments (plan paths or node ids), in command-line order
     * @param results      what its result file reported
     * @param holdsCode    whether a planned file has any content (an empty file has no test to lose)
     * @param noResultFile the process wrote no result file at all
     */
    static List<TestResult> notRun(List<String> planned, List<TestResult> results, Predicate<String> holdsCode,
                                   boolean noResultFile) {
        Set<String> reported = new HashSet<>();
        for (TestResult result : results) {
            // A record without an outcome is a test that never finished (the collector's record of a test a
            // session stopped inside): it does not show that its file ran.
            if (result.status().ranToAnOutcome()) {
                reported.add(WorkItem.fileOf(result.nodeId()));
            }
        }
        int lastReported = -1;
        for (int i = 0; i < planned.size(); i++) {
            if (reported.contains(WorkItem.fileOf(planned.get(i)))) {
                lastReported = i;
            }
        }
        String reason = noResultFile
                ? "not run: the test process exited 0 without writing its result file"
                : "not run: its result file has no test from this file, nor from any planned after it (the session "
                + "may have stopped early; bktec's plugin would say)";
        List<TestResult> notRun = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (String test : planned.subList(lastReported + 1, planned.size())) {
            if (!reported.contains(WorkItem.fileOf(test)) && holdsCode.test(WorkItem.fileOf(test)) && named.add(test)) {
                notRun.add(new TestResult("", test, test, TestStatus.NOT_RUN, 0, reason, false));
            }
        }
        return notRun;
    }

    /**
     * Whether the command picks tests itself, so that a file may rightly report nothing. Only pytest's own words
     * count: those after the word that names pytest ({@code python -m pytest -k x}), or after the program.
     */
    static boolean commandSelects(List<String> words) {
        int pytest = 0;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("pytest") || word.endsWith("/pytest") || word.equals("py.test")) {
                pytest = i;
                break;
            }
        }
        return words.subList(Math.min(pytest + 1, words.size()), words.size()).stream()
                .anyMatch(word -> SELECTING.stream().anyMatch(option -> word.equals(option)
                        || word.startsWith(option + "=") || (option.length() == 2 && word.startsWith(option))));
    }
}
