package io.bktec.job;

import io.bktec.api.ApiPlanSource;
import io.bktec.api.NettyTransport;
import io.bktec.api.ResultUploader;
import io.bktec.api.RetryingCaller;
import io.bktec.api.TestEngineClient;
import io.bktec.config.Config;
import io.bktec.config.TagFilter;
import io.bktec.outcome.RunReport;
import io.bktec.outcome.RunSummary;
import io.bktec.plan.LocationPrefix;
import io.bktec.report.Console;
import io.bktec.runner.ProgramLocator;
import io.bktec.runner.PytestCollectOnly;
import io.bktec.runner.ResultMode;
import io.bktec.runner.Runner;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Builds the API-mode pieces from the configuration. Only touched in API mode, so local runs never load Netty. */
final class ApiWiring {
    /** bktec spends up to 130 s on metadata; it only feeds statistics, so we give up sooner. */
    static final Duration METADATA_BUDGET = Duration.ofSeconds(30);

    private ApiWiring() {
    }

    static String userAgent() {
        return "Buildkite Test Engine Client/" + Version.current() + " (bktec-java; "
                + System.getProperty("os.name", "").toLowerCase(Locale.ROOT) + "/" + System.getProperty("os.arch", "") + ")";
    }

    static TestEngineClient client(Config.ApiSettings api, Console console, Duration budget) {
        RetryingCaller caller = new RetryingCaller(api.attemptTimeout(), budget, Schedulers.parallel(),
                () -> ThreadLocalRandom.current().nextDouble(), console::warning);
        return new TestEngineClient(new NettyTransport(), caller, api.baseUrl(), api.organizationSlug(), api.suiteSlug(),
                api.accessToken().value(), userAgent(), console::debug);
    }

    static ApiPlanSource planSource(Config config, Runner runner, Console console, Map<String, String> env,
                                    Path workingDirectory) {
        Config.ApiSettings api = config.api().orElseThrow();
        ApiPlanSource.Settings settings = new ApiPlanSource.Settings("pytest", api.planIdentifier(),
                api.jobRetryCount(), config.plan().parallelism(), config.plan().maxParallelism(),
                config.plan().targetTime().toMillis() / 1000.0, api.branch(), new LocationPrefix(config.plan().locationPrefix()),
                runner.resultMode() == ResultMode.JUNIT, config.files().tagFilter().isPresent(), envPayload(config));
        List<String> tagArguments = config.files().tagFilter().map(TagFilter::pytestArguments).orElse(List.of());
        ProgramLocator programs = new ProgramLocator(env.get("PATH"), workingDirectory);
        return new ApiPlanSource(client(api, console, api.retryBudget()), settings,
                files -> Mono.fromCallable(() -> {
                    Path pytest = programs.locate("pytest").orElseThrow(() ->
                            new UserError("pytest is not on PATH, so the tests in files Test Engine wants split "
                                    + "cannot be listed"));
                    try {
                        return new PytestCollectOnly(pytest, tagArguments, workingDirectory).nodeIds(files);
                    } catch (PytestCollectOnly.CollectException e) {
                        throw new UserError("could not list the tests of " + files.size() + " file(s) for the Test Engine: "
                                + e.getMessage());
                    }
                }).subscribeOn(Schedulers.boundedElastic()),
                console::warning, console::debug);
    }

    /** The "env" object bktec v3 sends with filter_tests and metadata: the user's own settings, typed. */
    static Map<String, Object> envPayload(Config config) {
        Config.ApiSettings api = config.api().orElseThrow();
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("BUILDKITE_BUILD_ID", api.buildId());
        env.put("BUILDKITE_TEST_ENGINE_DEBUG_ENABLED", config.debug());
        env.put("BUILDKITE_TEST_ENGINE_IDENTIFIER", api.planIdentifier());
        env.put("BUILDKITE_JOB_ID", api.jobId());
        env.put("BUILDKITE_RETRY_COUNT", api.jobRetryCount());
        env.put("BUILDKITE_TEST_ENGINE_RETRY_COUNT", config.retry().count());
        env.put("BUILDKITE_PARALLEL_JOB", config.plan().parallelJob());
        env.put("BUILDKITE_ORGANIZATION_SLUG", api.organizationSlug());
        env.put("BUILDKITE_PARALLEL_JOB_COUNT", config.plan().parallelism());
        env.put("BUILDKITE_TEST_ENGINE_RETRY_CMD", config.commands().retry().orElse(""));
        env.put("BUILDKITE_TEST_ENGINE_SPLIT_BY_EXAMPLE", config.plan().splitByExample());
        env.put("BUILDKITE_STEP_ID", api.stepId());
        env.put("BUILDKITE_TEST_ENGINE_SUITE_SLUG", api.suiteSlug());
        env.put("BUILDKITE_TEST_ENGINE_TAG_FILTERS", config.files().tagFilter().map(TagFilter::argument).orElse(""));
        env.put("BUILDKITE_TEST_ENGINE_TEST_CMD", config.commands().test().orElse(""));
        env.put("BUILDKITE_TEST_ENGINE_TEST_FILE_EXCLUDE_PATTERN", config.files().excludePattern());
        env.put("BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN", config.files().pattern().orElse(""));
        env.put("BUILDKITE_TEST_ENGINE_TEST_RUNNER", config.runner().id());
        return env;
    }

    /** Uploads every result file the run wrote (bktec does this after each attempt); never fatal. */
    static Mono<Void> uploadResults(Config config, Runner runner, RunReport report, Console console,
                                    Map<String, String> env, Path workingDirectory) {
        Config.UploadSettings.Destination upload = config.upload().destination().orElseThrow();
        RetryingCaller caller = new RetryingCaller(Duration.ofSeconds(5), upload.retryBudget(), Schedulers.parallel(),
                () -> ThreadLocalRandom.current().nextDouble(), console::warning);
        ResultUploader uploader = new ResultUploader(new NettyTransport(), caller, upload.baseUrl(), config.upload().token().value(),
                userAgent(), console::debug);
        Map<String, String> fields = ResultUploader.fields(runner.resultMode() == ResultMode.JUNIT ? "junit" : "json", env,
                config.plan().locationPrefix(), runner.name(), Version.current(), workingDirectory.toString(), upload.tags());
        return reactor.core.publisher.Flux.fromIterable(report.attempts())
                .flatMapIterable(a -> a.batches())
                .map(b -> workingDirectory.resolve(b.batch().resultFile()))
                .filter(java.nio.file.Files::isRegularFile)
                .concatMap(file -> Mono.fromCallable(() -> java.nio.file.Files.readAllBytes(file))
                        .subscribeOn(Schedulers.boundedElastic())
                        .doOnNext(bytes -> console.notice("uploading " + file.getFileName() + " to Test Engine"))
                        .flatMap(bytes -> uploader.upload(file, bytes, fields))
                        .onErrorResume(e -> {
                            console.notice("could not upload " + file.getFileName() + ": " + e.getMessage());
                            return Mono.empty();
                        }))
                .then();
    }

    /** POST test_plan_metadata after a run on an API plan; failures are printed, never fatal. */
    static Mono<Void> sendMetadata(Config config, RunReport report, Console console) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", Version.current());
        body.put("env", envPayload(config));
        List<Map<String, String>> timeline = new ArrayList<>();
        DateTimeFormatter rfc3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        report.attempts().forEach(a -> {
            String prefix = a.attempt() == 0 ? "test" : "retry_" + a.attempt();
            timeline.add(Map.of("timestamp", OffsetDateTime.ofInstant(a.startedAt(), ZoneId.systemDefault()).format(rfc3339),
                    "event", prefix + "_start"));
            timeline.add(Map.of("timestamp", OffsetDateTime.ofInstant(a.endedAt(), ZoneId.systemDefault()).format(rfc3339),
                    "event", prefix + "_end"));
        });
        body.put("timeline", timeline);
        RunSummary s = report.summary();
        Map<String, Integer> statistics = new LinkedHashMap<>();
        statistics.put("total", s.total());
        statistics.put("passed_on_first_run", s.passedFirstRun());
        statistics.put("passed_on_retry", s.passedOnRetry());
        statistics.put("muted_passed", s.mutedPassed());
        statistics.put("muted_failed", s.mutedFailed());
        statistics.put("failed", s.failed());
        statistics.put("skipped", s.skipped());
        body.put("statistics", statistics);
        return client(config.api().orElseThrow(), console,
                        METADATA_BUDGET.compareTo(config.api().get().retryBudget()) < 0 ? METADATA_BUDGET : config.api().get().retryBudget()).sendMetadata(body)
                .doOnSuccess(v -> console.debug("sent test plan metadata"))
                .onErrorResume(e -> {
                    console.notice("could not send test plan metadata to the Test Engine: " + e.getMessage());
                    return Mono.empty();
                });
    }
}
