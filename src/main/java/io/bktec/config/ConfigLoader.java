package io.bktec.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns flags and environment into a {@link Config}. A flag beats its env var; an empty env var means "unset"
 * for ints and durations and "false" for bools (urfave/cli v3 rules). Every problem is collected, keyed by the env
 * var name, and reported sorted, as bktec v3 does.
 */
public final class ConfigLoader {
    private final SettingReader settings;
    private final TokenMinter minter;

    /**
     * @param flags  values given on the command line, keyed by flag name without dashes
     * @param env    the process environment
     * @param minter mints an API token when a suite is set but no token is
     */
    public ConfigLoader(Map<String, String> flags, Map<String, String> env, TokenMinter minter) {
        this.settings = new SettingReader(flags, env);
        this.minter = minter;
    }

    public ConfigLoader(Map<String, String> flags, Map<String, String> env) {
        this(flags, env, TokenMinter.NONE);
    }

    /** Validation for `bktec plan`: also the plan-only settings. */
    public Config loadForPlan(Consumer<String> notices) throws ConfigException {
        int maxParallelism = settings.integer(Settings.MAX_PARALLELISM);
        if (maxParallelism != 0 && (maxParallelism < 1 || maxParallelism > 1000)) {
            settings.problem("max-parallelism", "was " + maxParallelism + ", must be between 0 and 1000");
        }
        Duration target = settings.duration(Settings.TARGET_TIME);
        if (!target.isZero()) {
            if (target.isNegative()) {
                settings.problem("target-time", "was " + GoValues.format(target) + ", must be greater than 0");
            } else if (target.compareTo(Duration.ofHours(24)) > 0) {
                settings.problem("target-time", "was " + GoValues.format(target) + ", must be less than or equal to 24 hours");
            } else if (maxParallelism == 0) {
                settings.problem("max-parallelism", "must be set when target-time is set");
            }
        }
        return load(notices);
    }

    /** @param notices receives one-line notes about defaults the user may want to know were chosen */
    public Config load(Consumer<String> notices) throws ConfigException {
        RunnerName runner = runner(notices);
        Optional<Config.ApiSettings> api = apiSettings();
        Config config = new Config(runner, commands(), files(runner), plan(), retry(), processes(), api,
                upload(notices), job(), settings.bool(Settings.DEBUG).orElse(false));
        settings.bool(Settings.SELECTOR_SPLITTING); // ignored as in bktec v3, but a value it cannot parse is still an error
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private RunnerName runner(Consumer<String> notices) {
        String runnerText = settings.string(Settings.TEST_RUNNER).orElse("");
        if (runnerText.isEmpty()) {
            notices.accept(Settings.TEST_RUNNER.key() + " is not set; using pytest");
            return RunnerName.PYTEST;
        }
        Optional<RunnerName> named = RunnerName.fromId(runnerText);
        if (named.isEmpty()) {
            settings.problem(Settings.TEST_RUNNER, "has unsupported value \"" + runnerText + "\"; valid values: "
                    + RunnerName.validNames());
        }
        return named.orElse(RunnerName.PYTEST);
    }

    private Config.Commands commands() {
        Optional<String> testCommand = settings.nonBlank(Settings.TEST_COMMAND);
        settings.string(Settings.TEST_COMMAND).filter(s -> !s.isEmpty() && s.isBlank())
                .ifPresent(s -> settings.problem(Settings.TEST_COMMAND, "must not be blank"));
        return new Config.Commands(testCommand, settings.nonBlank(Settings.RETRY_COMMAND),
                settings.nonBlank(Settings.RESULT_PATH));
    }

    private Config.FileSelection files(RunnerName runner) {
        return new Config.FileSelection(settings.nonBlank(Settings.FILE_PATTERN),
                settings.string(Settings.FILE_EXCLUDE_PATTERN).orElse(""), settings.nonBlank(Settings.FILES),
                settings.nonBlank(Settings.SELECTOR_FILE), tagFilter(runner));
    }

    private Config.PlanSettings plan() {
        Integer parallelismParsed = settings.parsedInt(Settings.PARALLELISM);
        int parallelism = parallelismParsed == null ? 1 : parallelismParsed;
        int parallelJob = settings.integer(Settings.PARALLEL_JOB);
        // Same order as bktec: the index is range-checked first, and its upper bound only when the count parsed.
        if (parallelJob < 0) {
            settings.atLeast(Settings.PARALLEL_JOB, parallelJob, 0);
        } else if (parallelismParsed != null) {
            settings.atMost(Settings.PARALLEL_JOB, parallelJob, parallelism - 1);
        }
        if (parallelismParsed != null) {
            if (parallelism < 1) {
                settings.atLeast(Settings.PARALLELISM, parallelism, 1);
            } else {
                settings.atMost(Settings.PARALLELISM, parallelism, 1000);
            }
        }
        return new Config.PlanSettings(parallelJob, parallelism,
                settings.bool(Settings.SPLIT_BY_EXAMPLE).orElse(false), settings.integer(Settings.MAX_PARALLELISM),
                settings.duration(Settings.TARGET_TIME), settings.string(Settings.LOCATION_PREFIX).orElse(""),
                settings.bool(Settings.FAIL_ON_NO_TESTS).orElse(false), settings.nonBlank(Settings.DURATIONS_FILE),
                settings.bool(Settings.WRITE_DURATIONS).orElse(false));
    }

    private Config.RetrySettings retry() {
        int retryCount = settings.integer(Settings.RETRY_COUNT);
        settings.atLeast(Settings.RETRY_COUNT, retryCount, 0);
        // bktec v2/v3 retry muted tests only when the variable is explicitly false; we keep that default.
        boolean retryMuted = settings.bool(Settings.DISABLE_RETRY_MUTED).map(disable -> !disable).orElse(false);
        Optional<RetryLimit> retryLimit = Optional.empty();
        String limitText = settings.string(Settings.RETRY_MAX_FAILURES).orElse("").strip();
        if (!limitText.isEmpty()) {
            retryLimit = RetryLimit.parse(limitText);
            if (retryLimit.isEmpty()) {
                settings.problem(Settings.RETRY_MAX_FAILURES, "was \"" + limitText + "\", must be a whole number or a "
                        + "percentage such as 10%");
            }
        }
        return new Config.RetrySettings(retryCount, retryMuted, retryLimit);
    }

    private Config.ProcessSettings processes() {
        int batchSize = settings.integer(Settings.BATCH_SIZE);
        settings.atLeast(Settings.BATCH_SIZE, batchSize, 0);
        int concurrency = settings.integer(Settings.CONCURRENCY);
        if (concurrency < 1) {
            settings.atLeast(Settings.CONCURRENCY, concurrency, 1);
        } else {
            settings.atMost(Settings.CONCURRENCY, concurrency, 256);
        }
        Duration grace = settings.duration(Settings.CANCEL_GRACE_PERIOD);
        if (grace.isNegative()) {
            settings.problem(Settings.CANCEL_GRACE_PERIOD, "was " + GoValues.format(grace) + ", must not be negative");
        }
        Duration testTimeout = settings.duration(Settings.TEST_TIMEOUT);
        if (testTimeout.isNegative()) {
            settings.problem(Settings.TEST_TIMEOUT, "was " + GoValues.format(testTimeout)
                    + ", must not be negative (0 for no timeout)");
        }
        return new Config.ProcessSettings(batchSize, concurrency, grace, testTimeout,
                settings.bool(Settings.RESULTS_STREAM).orElse(false), settings.bool(Settings.WORKERS).orElse(false),
                settings.bool(Settings.FORK_SERVER).orElse(false));
    }

    private Config.UploadSettings upload(Consumer<String> notices) {
        Secret token = new Secret(settings.string(Settings.UPLOAD_TOKEN).orElse(""));
        Map<String, String> tags = tags();
        if (!settings.bool(Settings.UPLOAD_RESULTS).orElse(false)) {
            return new Config.UploadSettings(token, Optional.empty());
        }
        String uploadBase = settings.string(Settings.UPLOAD_BASE_URL).filter(u -> !u.isEmpty())
                .orElse(Settings.UPLOAD_BASE_URL.defaultValue()).replaceAll("/+$", "");
        if (!validUrl(uploadBase)) {
            settings.problem(Settings.UPLOAD_BASE_URL, "must be a valid URL");
        }
        if (token.isEmpty()) {
            notices.accept("warning: BUILDKITE_TEST_ENGINE_UPLOAD_RESULTS is on but BUILDKITE_ANALYTICS_TOKEN is "
                    + "empty, so results will not be uploaded");
            return new Config.UploadSettings(token, Optional.empty());
        }
        // bktec gives uploads 30 s in all; a shorter configured API budget applies too.
        Duration budget = settings.duration(Settings.API_RETRY_BUDGET);
        return new Config.UploadSettings(token, Optional.of(new Config.UploadSettings.Destination(uploadBase, tags,
                budget.compareTo(Duration.ofSeconds(30)) < 0 && !budget.isNegative() && !budget.isZero()
                        ? budget : Duration.ofSeconds(30))));
    }

    private Config.JobSettings job() {
        Optional<Boolean> annotate = settings.raw(Settings.ANNOTATE).isEmpty() ? Optional.empty()
                : settings.bool(Settings.ANNOTATE);
        return new Config.JobSettings(jobAttempt(), annotate, settings.bool(Settings.PROMISE_FAILURE).orElse(false),
                settings.nonBlank(Settings.BUILDKITE_AGENT_COMMAND).orElse("buildkite-agent"));
    }

    private Optional<TagFilter> tagFilter(RunnerName runner) {
        String text = settings.string(Settings.TAG_FILTERS).orElse("");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<TagFilter> filter = TagFilter.parse(text);
        if (filter.isEmpty()) {
            settings.problem(Settings.TAG_FILTERS, "was \"" + text + "\", must be key:value (one execution tag, "
                    + "e.g. team:frontend)");
        } else if (runner != RunnerName.PYTEST) {
            settings.problem(Settings.TAG_FILTERS, "is set, but tag filtering is only supported for the pytest test "
                    + "runner (BUILDKITE_TEST_ENGINE_TEST_RUNNER is " + runner.id() + ")");
        }
        return filter;
    }

    /** The Buildkite job, and what a retry of it runs (job-retry: failed or all). */
    private Config.JobAttempt jobAttempt() {
        String mode = settings.string(Settings.JOB_RETRY).orElse("").strip();
        if (!mode.isEmpty() && !mode.equals("failed") && !mode.equals("all")) {
            settings.problem(Settings.JOB_RETRY, "was \"" + mode + "\", must be failed or all");
        }
        int attempt = settings.integer(Settings.JOB_RETRY_COUNT);
        return new Config.JobAttempt(settings.string(Settings.BUILD_ID).orElse(""),
                settings.string(Settings.STEP_ID).orElse(""), Math.max(0, attempt), !mode.equals("all"));
    }

    private Optional<Config.ApiSettings> apiSettings() {
        String suite = settings.string(Settings.SUITE_SLUG).orElse("");
        String org = settings.string(Settings.ORGANIZATION_SLUG).orElse("");
        String token = settings.string(Settings.ACCESS_TOKEN).orElse("").strip();
        String baseUrl = settings.string(Settings.BASE_URL).filter(s -> !s.isEmpty()).orElse(Settings.BASE_URL.defaultValue());
        int jobRetryCount = settings.integer(Settings.JOB_RETRY_COUNT);
        if (suite.isEmpty()) {
            return Optional.empty();
        }
        boolean oidc = settings.bool(Settings.OIDC).orElse(true);
        Duration lifetime = settings.duration(Settings.OIDC_LIFETIME);
        boolean minted = false;
        if (token.isEmpty() && oidc) {
            String audience = baseUrl.replaceAll("/+$", "") + "/v2/analytics/organizations/" + org + "/suites/" + suite;
            try {
                token = minter.mint(audience, lifetime).strip();
                minted = !token.isEmpty();
            } catch (IllegalStateException e) {
                settings.problem(Settings.ACCESS_TOKEN, "must not be blank (and no OIDC token could be minted: " + e.getMessage()
                        + "); set it, or run inside a Buildkite job where buildkite-agent can mint one");
            }
        }
        if (org.isEmpty()) {
            settings.problem(Settings.ORGANIZATION_SLUG, "must not be blank");
        }
        if (token.isEmpty()) {
            settings.problem(Settings.ACCESS_TOKEN, "must not be blank");
        }
        if (!validUrl(baseUrl)) {
            settings.problem(Settings.BASE_URL, "must be a valid URL");
        }
        String identifier = settings.string(Settings.PLAN_IDENTIFIER).filter(s -> !s.isEmpty()).orElseGet(() -> {
            String build = settings.string(Settings.BUILD_ID).orElse("");
            String step = settings.string(Settings.STEP_ID).orElse("");
            if (build.isEmpty()) {
                settings.problem(Settings.BUILD_ID, "must not be blank");
            }
            if (step.isEmpty()) {
                settings.problem(Settings.STEP_ID, "must not be blank");
            }
            return build + "/" + step;
        });
        return Optional.of(new Config.ApiSettings(suite, org, new Secret(token), baseUrl, identifier, jobRetryCount,
                settings.string(Settings.BRANCH).orElse(""), settings.string(Settings.JOB_ID).orElse(""),
                settings.string(Settings.BUILD_ID).orElse(""), settings.string(Settings.STEP_ID).orElse(""), minted,
                settings.positive(Settings.API_TIMEOUT), settings.positive(Settings.API_RETRY_BUDGET)));
    }

    /** bktec's upload tags: comma-separated key=value pairs, each with a non-empty key. */
    private Map<String, String> tags() {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        String text = settings.string(Settings.TAGS).orElse("");
        if (text.isBlank()) {
            return tags;
        }
        for (String piece : text.split(",")) {
            int eq = piece.indexOf('=');
            if (eq <= 0) {
                settings.problem(Settings.TAGS, "has \"" + piece + "\", which is not key=value (invalid upload tags)");
                continue;
            }
            tags.put(piece.substring(0, eq).strip(), piece.substring(eq + 1));
        }
        return tags;
    }

    private static boolean validUrl(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() || text.startsWith("/");
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
