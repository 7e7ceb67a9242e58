package io.bktec.job;

import io.bktec.config.Config;
import io.bktec.jobretry.JobRetry;
import io.bktec.jobretry.JobScope;
import io.bktec.outcome.RunReport;
import io.bktec.plan.TestCase;
import io.bktec.plan.TestPlan;
import io.bktec.report.Annotator;
import io.bktec.report.Console;
import io.bktec.report.FailurePromise;
import io.bktec.report.SummaryPrinter;
import io.bktec.runner.Runner;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * After a run's tests: the summary, then what goes out (the durations file, the failure promise, the annotation, the
 * job-retry record, uploads, metadata; none of them can change the exit status), and the exit status. A run ended by a
 * signal sends nothing.
 */
final class RunDelivery {
    private final Config config;
    private final Console console;
    private final Map<String, String> env;
    private final Path workingDirectory;

    RunDelivery(Config config, Console console, Map<String, String> env, Path workingDirectory) {
        this.config = config;
        this.console = console;
        this.env = env;
        this.workingDirectory = workingDirectory;
    }

    /**
     * A Buildkite job whose retries bktec keeps track of (local mode): what this attempt of it runs of the node's
     * share, and where the record for the next attempt goes.
     */
    record JobRun(JobRetry retry, List<String> share, JobScope scope) {
    }

    /** The summary, what goes out, and the exit status. */
    Mono<Integer> deliver(Runner runner, TestPlan plan, RunReport report, Optional<JobRun> job) {
        if (console.debugging()) {
            console.debug("run finished: " + report.decision());
        }
        Optional<String> jobRan = job.map(j -> j.scope().ran(report.summary().total()));
        new SummaryPrinter(console).print(report.summary(), report.decision(), report.attempts().size(),
                plan.skippedTests().stream().map(TestCase::path).toList(), jobRan);
        int code = report.decision().code();
        boolean signalled = code > 128;
        if (config.plan().writeDurations() && !signalled) {
            Durations.write(config, workingDirectory, report, console);
        }
        Mono<Void> promise = signalled ? Mono.empty()
                : FailurePromise.forRun(config, report, env, workingDirectory, console);
        Mono<Void> annotation = Annotator.forRun(config, runner.name(), report, jobRan, env, workingDirectory,
                console);
        Mono<Void> record = job.<Mono<Void>>map(j -> Mono.<Void>fromRunnable(() -> j.retry()
                        .record(j.share(), j.scope(), report, plan.mutedTests())
                        .ifPresent(note -> {
                            if (note.warning()) {
                                console.warning(note.text());
                            } else {
                                console.notice(note.text());
                            }
                        }))
                .subscribeOn(Schedulers.boundedElastic())).orElse(Mono.empty());
        Mono<Void> uploads = config.upload().destination().isEmpty() || signalled ? Mono.empty()
                : ApiWiring.uploadResults(config, runner, report, console, env, workingDirectory);
        Mono<Void> metadata = plan.local() || signalled ? Mono.empty() : ApiWiring.sendMetadata(config, report, console);
        return record.then(promise).then(annotation).then(uploads).then(metadata)
                .then(Mono.fromRunnable(() -> {
                    if (code != 0) {
                        console.expandPreviousGroup(); // the log opens on the summary
                    }
                }))
                .thenReturn(code);
    }
}
