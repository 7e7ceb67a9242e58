package io.bktec.report;

import io.bktec.coverage.CoverageOutcome;

/** The run's combined coverage on the console: pytest-cov's terminal report and the files written, once. */
public final class CoveragePrinter {
    private final Console console;

    public CoveragePrinter(Console console) {
        this.console = console;
    }

    public void print(CoverageOutcome outcome) {
        if (outcome instanceof CoverageOutcome.Combined combined) {
            console.expandedGroup("bktec: coverage, " + combined.processes() + " test process data file"
                    + (combined.processes() == 1 ? "" : "s") + " combined into " + combined.dataFile());
            combined.output().lines().forEach(console::line);
        } else if (outcome instanceof CoverageOutcome.Failed failed) {
            String line = "coverage: could not combine the test processes' coverage data: " + failed.reason();
            if (failed.failUnder().isPresent()) {
                console.error(line);
            } else {
                console.warning(line);
            }
        }
    }
}
