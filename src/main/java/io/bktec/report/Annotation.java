package io.bktec.report;

import io.bktec.outcome.ExitStatus;
import io.bktec.outcome.RunSummary;
import io.bktec.results.TestResult;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The Markdown of a build annotation: counts, then failed, muted-and-failed, flaky and never-run tests with short
 * reasons.
 * Kept under Buildkite's 1 MiB limit by listing as many tests as fit and saying how many more there are.
 */
public final class Annotation {
    public static final int LIMIT_BYTES = 1024 * 1024;
    /** Room kept for the closing lines of every section. */
    private static final int RESERVE_BYTES = 4 * 1024;

    public enum Style {
        ERROR, WARNING, SUCCESS;

        public String flag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Content(Style style, String markdown) {
    }

    private Annotation() {
    }

    /**
     * @param heading e.g. "pytest · node 2 of 4"
     * @param limit   most bytes the body may take
     */
    public static Content of(String heading, RunSummary summary, ExitStatus.Decision decision, int limit) {
        return of(heading, Optional.empty(), summary, decision, limit);
    }

    /** @param jobRan which attempt of the Buildkite job this was and what it ran, when bktec keeps count */
    public static Content of(String heading, Optional<String> jobRan, RunSummary summary,
                             ExitStatus.Decision decision, int limit) {
        Style style = decision.code() != 0 ? Style.ERROR
                : !summary.flakyTests().isEmpty() || summary.mutedFailed() > 0 ? Style.WARNING : Style.SUCCESS;
        StringBuilder md = new StringBuilder();
        md.append("#### bktec: ").append(escape(heading)).append("\n\n");
        md.append(decision.code() == 0 ? "✅ " : "❌ ").append(escape(decision.reason()))
                .append(" (exit status ").append(decision.code()).append(")\n\n");
        md.append(counts(summary)).append("\n");
        jobRan.ifPresent(line -> md.append(escape(SummaryPrinter.capitalised(line))).append("\n\n"));
        int[] used = {bytes(md)};
        int budget = limit - RESERVE_BYTES;
        section(md, used, "Failed tests", summary.failedTests(), true, budget);
        section(md, used, "Muted tests that failed", summary.mutedFailures(), true, budget);
        section(md, used, "Flaky tests (failed, then passed on retry)", summary.flakyTests(), false, budget);
        section(md, used, "Never ran", summary.notRunTests(), true, budget);
        return new Content(style, md.toString());
    }

    private static String counts(RunSummary s) {
        StringBuilder line = new StringBuilder();
        append(line, s.failed(), "failed");
        append(line, s.passedOnRetry(), "passed on retry");
        append(line, s.mutedFailed() + s.mutedPassed(), "muted");
        append(line, s.passedFirstRun(), "passed");
        append(line, s.skipped(), "skipped");
        append(line, s.notRun(), "never ran");
        return (line.isEmpty() ? "no tests ran" : line.toString()) + "\n";
    }

    private static void append(StringBuilder line, int count, String what) {
        if (count > 0) {
            line.append(line.isEmpty() ? "" : " · ").append(count).append(' ').append(what);
        }
    }

    /** Appends a section; {@code used[0]} tracks the body's size in bytes so far. */
    private static void section(StringBuilder md, int[] used, String title, List<TestResult> tests, boolean reasons,
                                int budget) {
        if (tests.isEmpty()) {
            return;
        }
        append(md, used, "<details open>\n<summary>" + title + " (" + tests.size() + ")</summary>\n\n");
        int shown = 0;
        for (TestResult test : tests) {
            String line = "- `" + test.nodeId().replace("`", "'") + "`"
                    + (reasons && !test.failureReason().isBlank() ? " — " + escape(oneLine(firstLine(test.failureReason())))
                    + details(test.failureReason()) : "") + "\n";
            if (used[0] + bytes(line) > budget) {
                break;
            }
            append(md, used, line);
            shown++;
        }
        if (shown < tests.size()) {
            append(md, used, "- … and " + (tests.size() - shown) + " more\n");
        }
        append(md, used, "\n</details>\n\n");
    }

    private static void append(StringBuilder md, int[] used, String text) {
        md.append(text);
        used[0] += bytes(text);
    }

    private static int bytes(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }

    /** What a reason says beyond its first line (the stacks of a test bktec stopped), folded away. */
    private static String details(String reason) {
        String stripped = reason.strip();
        int newline = stripped.indexOf('\n');
        if (newline < 0) {
            return "";
        }
        return "\n  <details><summary>stacks</summary>\n\n  <pre>" + escape(stripped.substring(newline + 1))
                .replace("\n", "\n  ") + "</pre>\n  </details>";
    }

    private static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }

    /** Keeps test output from being read as HTML or Markdown structure. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
