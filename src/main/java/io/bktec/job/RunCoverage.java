package io.bktec.job;

import io.bktec.coverage.CoverageCombination;
import io.bktec.coverage.CoverageSetup;
import io.bktec.outcome.ExitStatus;
import io.bktec.outcome.RunReport;
import io.bktec.report.Console;
import io.bktec.report.CoveragePrinter;
import io.bktec.stream.ResultsStream;
import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * After the tests: when coverage measured them, every test process's data combined and the reports written once
 * (printed before the summary, as pytest-cov prints before pytest's), and the exit status judged with it. A run ended
 * by a signal combines nothing.
 */
final class RunCoverage {
    private RunCoverage() {
    }

    static Mono<RunReport> judge(RunReport report, ResultsStream streams, Path temporaryDirectory,
                                 Map<String, String> environment, Console console) {
        List<CoverageSetup> setups = report.coverageSetups();
        Optional<Path> combiner = streams.coverageCombiner();
        if (setups.isEmpty() || combiner.isEmpty() || report.decision().code() > 128) {
            return Mono.just(report);
        }
        return new CoverageCombination(combiner.get(), temporaryDirectory, environment)
                .combine(setups, report.decision().code() != 0)
                .map(outcome -> {
                    new CoveragePrinter(console).print(outcome);
                    return report.withDecision(ExitStatus.withCoverage(report.decision(), outcome));
                });
    }
}
