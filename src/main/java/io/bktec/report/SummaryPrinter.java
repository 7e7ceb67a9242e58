package io.bktec.report;

import io.bktec.outcome.ExitStatus;
import io.bktec.outcome.RunSummary;
import io.bktec.results.TestResult;

import java.util.List;
import java.util.Optional;

/** The end-of-run report: counts, failed, flaky and muted tests, and why bktec exits as it does. */
public final class SummaryPrinter {
    private static final int MAX_LISTED = 200;
    private final Console console;

    public SummaryPrinter(Console console) {
        this.console = console;
    }

    public void print(RunSummary summary, ExitStatus.Decision decision, int attempts, List<String> skippedByTestEngine) {
        print(summary, decision, attempts, skippedByTestEngine, Optional.empty());
    }

    /** @param jobRan which attempt of the Buildkite job this was and what it ran, when bktec keeps count */
    public void print(RunSummary summary, ExitStatus.Decision decision, int attempts, List<String> skippedByTestEngine,
                      Optional<String> jobRan) {
        Style style = console.style();
        console.expandedGroup("bktec: summary");
        console.line(row("Passed (first run)", summary.passedFirstRun()));
        console.line(row("Passed on retry", summary.passedOnRetry()));
        console.line(row("Failed", summary.failed()));
        console.line(row("Skipped", summary.skipped()));
        if (summary.mutedPassed() + summary.mutedFailed() > 0) {
            console.line(row("Muted (passed)", summary.mutedPassed()));
            console.line(row("Muted (failed)", summary.mutedFailed()));
        }
        if (summary.unknown() > 0) {
            console.line(row("No outcome", summary.unknown()));
        }
        if (summary.notRun() > 0) {
            console.line(row("Never ran", summary.notRun()));
        }
        console.line(row("Total", summary.total()) + "   (" + attempts + " attempt" + ConsoleReporter.plural(attempts) + ")");
        jobRan.ifPresent(line -> console.line(capitalised(line)));
        list("Collection errors", summary.collectionErrors(), style::red);
        list("Failed tests", summary.failedTests(), style::red);
        list("Flaky tests (failed, then passed on retry)", summary.flakyTests(), style::yellow);
        list("Muted tests (failures do not fail the build)", summary.mutedTests(), s -> s);
        list("Ran only on retry (their first session ended before them)", summary.ranOnRetryTests(), s -> s);
        list(neverRan(summary.notRun()), summary.notRunTests(), style::red);
        if (!skippedByTestEngine.isEmpty()) {
            console.line("");
            console.line("Skipped by Test Engine:");
            skippedByTestEngine.stream().limit(MAX_LISTED).forEach(t -> console.line("  - " + t));
            if (skippedByTestEngine.size() > MAX_LISTED) {
                console.line("  … and " + (skippedByTestEngine.size() - MAX_LISTED) + " more");
            }
        }
        String verdict = "exit status " + decision.code() + ": " + decision.reason();
        console.line("");
        console.line(decision.code() == 0 ? style.green("✓ " + verdict) : style.red("✗ " + verdict));
    }

    static String capitalised(String line) {
        return line.isEmpty() ? line : Character.toUpperCase(line.charAt(0)) + line.substring(1);
    }

    private void list(String title, List<TestResult> tests, java.util.function.UnaryOperator<String> colour) {
        if (tests.isEmpty()) {
            return;
        }
        console.line("");
        console.line(title + ":");
        int shown = Math.min(tests.size(), MAX_LISTED);
        for (int i = 0; i < shown; i++) {
            TestResult t = tests.get(i);
            boolean explained = t.status() == io.bktec.results.TestStatus.FAILED
                    || t.status() == io.bktec.results.TestStatus.NOT_RUN;
            String reason = !explained || t.failureReason().isBlank() ? ""
                    : "  (" + abbreviate(t.failureReason()) + ")";
            if (title.startsWith("Muted")) {
                reason = " (" + t.status().name().toLowerCase(java.util.Locale.ROOT) + ")" + reason;
            }
            console.line("  - " + colour.apply(t.nodeId()) + reason);
        }
        if (tests.size() > shown) {
            console.line("  … and " + (tests.size() - shown) + " more");
        }
    }

    /** The heading of the tests that never ran: they make the run red, like failures. */
    static String neverRan(int tests) {
        return tests + (tests == 1 ? " test" : " tests") + " never ran";
    }

    private static String abbreviate(String reason) {
        String line = reason.strip();
        int newline = line.indexOf('\n');
        if (newline >= 0) {
            line = line.substring(0, newline);
        }
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }

    private static String row(String label, int count) {
        // Padded by hand: the first String.format of a run costs ~10 ms of Formatter start-up.
        String number = Integer.toString(count);
        return "  " + label + " ".repeat(Math.max(0, 20 - label.length())) + " "
                + " ".repeat(Math.max(0, 6 - number.length())) + number;
    }
}
