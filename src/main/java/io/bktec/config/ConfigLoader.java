package io.bktec.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns flags and environment into a {@link Config}. A flag beats its env var; an empty env var means "unset"
 * for ints and durations and "false" for bools (urfave/cli v3 rules). Every problem is collected, keyed by the env
 * var name, and reported sorted, as bktec v3 does.
 */
public final class ConfigLoader {
    private final Map<String, String> flags;
    private final Map<String, String> env;
    private final Map<String, String> problems = new TreeMap<>();
    private final TokenMinter minter;

    /**
     * @param flags  values given on the command line, keyed by flag name without dashes
     * @param env    the process environment
     * @param minter mints an API token when a suite is set but no token is
     */
    public ConfigLoader(Map<String, String> flags, Map<String, String> env, TokenMinter minter) {
        this.flags = flags;
        this.env = env;
        this.minter = minter;
    }

    public ConfigLoader(Map<String, String> flags, Map<String, String> env) {
        this(flags, env, TokenMinter.NONE);
    }

    /** Validation for `bktec plan`: also the plan-only settings. */
    public Config loadForPlan(Consumer<String> notices) throws ConfigException {
        int maxParallelism = integer(Settings.MAX_PARALLELISM);
        if (maxParallelism != 0 && (maxParallelism < 1 || maxParallelism > 1000)) {
            problems.put("max-parallelism", "was " + maxParallelism + ", must be between 0 and 1000");
        }
        Duration target = duration(Settings.TARGET_TIME);
        if (!target.isZero()) {
            if (target.isNegative()) {
                problems.put("target-time", "was " + GoValues.format(target) + ", must be greater than 0");
            } else if (target.compareTo(Duration.ofHours(24)) > 0) {
                problems.put("target-time", "was " + GoValues.format(target) + ", must be less than or equal to 24 hours");
            } else if (maxParallelism == 0) {
                problems.put("max-parallelism", "must be set when target-time is set");
            }
        }
        return load(notices);
    }

    /** @param notices receives one-line notes about defaults the user may want to know were chosen */
    public Config load(Consumer<String> notices) throws ConfigException {
        String runnerText = string(Settings.TEST_RUNNER).orElse("");
        RunnerName runner = RunnerName.PYTEST;
        if (runnerText.isEmpty()) {
            notices.accept(Settings.TEST_RUNNER.key() + " is not set; using pytest");
        } else {
            Optional<RunnerName> named = RunnerName.fromId(runnerText);
            if (named.isPresent()) {
                runner = named.get();
            } else {
                problem(Settings.TEST_RUNNER, "has unsupported value \"" + runnerText + "\"; valid values: "
                        + RunnerName.validNames());
            }
        }

        int retryCount = integer(Settings.RETRY_COUNT);
        atLeast(Settings.RETRY_COUNT, retryCount, 0);

        Optional<Boolean> disableRetryMuted = bool(Settings.DISABLE_RETRY_MUTED);
        // bktec v2/v3 retry muted tests only when the variable is explicitly false; we keep that default.
        boolean retryMuted = disableRetryMuted.map(disable -> !disable).orElse(false);

        Integer parallelismParsed = parsedInt(Settings.PARALLELISM);
        int parallelism = parallelismParsed == null ? 1 : parallelismParsed;
        int parallelJob = integer(Settings.PARALLEL_JOB);
        // Same order as bktec: the index is range-checked first, and its upper bound only when the count parsed.
        if (parallelJob < 0) {
            atLeast(Settings.PARALLEL_JOB, parallelJob, 0);
        } else if (parallelismParsed != null) {
            atMost(Settings.PARALLEL_JOB, parallelJob, parallelism - 1);
        }
        if (parallelismParsed != null) {
            if (parallelism < 1) {
                atLeast(Settings.PARALLELISM, parallelism, 1);
            } else {
                atMost(Settings.PARALLELISM, parallelism, 1000);
            }
        }

        int batchSize = integer(Settings.BATCH_SIZE);
        atLeast(Settings.BATCH_SIZE, batchSize, 0);
        int concurrency = integer(Settings.CONCURRENCY);
        if (concurrency < 1) {
            atLeast(Settings.CONCURRENCY, concurrency, 1);
        } else {
            atMost(Settings.CONCURRENCY, concurrency, 256);
        }
        Duration grace = duration(Settings.CANCEL_GRACE_PERIOD);
        if (grace.isNegative()) {
            problem(Settings.CANCEL_GRACE_PERIOD, "was " + GoValues.format(grace) + ", must not be negative");
        }

        Optional<String> testCommand = nonBlank(Settings.TEST_COMMAND);
        string(Settings.TEST_COMMAND).filter(s -> !s.isEmpty() && s.isBlank())
                .ifPresent(s -> problem(Settings.TEST_COMMAND, "must not be blank"));
        Optional<String> retryCommand = nonBlank(Settings.RETRY_COMMAND);

        Optional<Config.ApiSettings> api = apiSettings();
        boolean failOnNoTests = bool(Settings.FAIL_ON_NO_TESTS).orElse(false);
        bool(Settings.SELECTOR_SPLITTING); // ignored as in bktec v3, but a value it cannot parse is still an error
        boolean debug = bool(Settings.DEBUG).orElse(false);

        boolean splitByExample = bool(Settings.SPLIT_BY_EXAMPLE).orElse(false);
        Optional<Boolean> annotate = raw(Settings.ANNOTATE).isEmpty() ? Optional.empty() : bool(Settings.ANNOTATE);
        String uploadToken = string(Settings.UPLOAD_TOKEN).orElse("");
        Map<String, String> tags = tags();
        Optional<Config.UploadSettings> upload = Optional.empty();
        if (bool(Settings.UPLOAD_RESULTS).orElse(false)) {
            String uploadBase = string(Settings.UPLOAD_BASE_URL).filter(u -> !u.isEmpty())
                    .orElse(Settings.UPLOAD_BASE_URL.defaultValue()).replaceAll("/+$", "");
            if (!validUrl(uploadBase)) {
                problem(Settings.UPLOAD_BASE_URL, "must be a valid URL");
            }
            if (uploadToken.isEmpty()) {
                notices.accept("warning: BUILDKITE_TEST_ENGINE_UPLOAD_RESULTS is on but BUILDKITE_ANALYTICS_TOKEN is "
                        + "empty, so results will not be uploaded");
            } else {
                // bktec gives uploads 30 s in all; a shorter configured API budget applies too.
                Duration budget = duration(Settings.API_RETRY_BUDGET);
                upload = Optional.of(new Config.UploadSettings(uploadBase, tags,
                        budget.compareTo(Duration.ofSeconds(30)) < 0 && !budget.isNegative() && !budget.isZero()
                                ? budget : Duration.ofSeconds(30)));
            }
        }
        int maxParallelism = integer(Settings.MAX_PARALLELISM);
        Duration targetTime = duration(Settings.TARGET_TIME);
        Config config = new Config(runner, testCommand, retryCommand, nonBlank(Settings.RESULT_PATH),
                nonBlank(Settings.FILE_PATTERN), string(Settings.FILE_EXCLUDE_PATTERN).orElse(""),
                nonBlank(Settings.FILES), nonBlank(Settings.SELECTOR_FILE), retryCount, retryMuted, parallelJob,
                parallelism, failOnNoTests, string(Settings.LOCATION_PREFIX).orElse(""), batchSize, concurrency, grace,
                splitByExample, maxParallelism, targetTime, api, uploadToken, annotate, nonBlank(Settings.DURATIONS_FILE),
                bool(Settings.WRITE_DURATIONS).orElse(false), upload, debug);
        if (!problems.isEmpty()) {
            List<String> lines = new ArrayList<>();
            problems.forEach((key, message) -> lines.add(key + " " + message));
            throw new ConfigException(lines);
        }
        return config;
    }

    private Optional<Config.ApiSettings> apiSettings() {
        String suite = string(Settings.SUITE_SLUG).orElse("");
        String org = string(Settings.ORGANIZATION_SLUG).orElse("");
        String token = string(Settings.ACCESS_TOKEN).orElse("").strip();
        String baseUrl = string(Settings.BASE_URL).filter(s -> !s.isEmpty()).orElse(Settings.BASE_URL.defaultValue());
        int jobRetryCount = integer(Settings.JOB_RETRY_COUNT);
        if (suite.isEmpty()) {
            return Optional.empty();
        }
        boolean oidc = bool(Settings.OIDC).orElse(true);
        Duration lifetime = duration(Settings.OIDC_LIFETIME);
        boolean minted = false;
        if (token.isEmpty() && oidc) {
            String audience = baseUrl.replaceAll("/+$", "") + "/v2/analytics/organizations/" + org + "/suites/" + suite;
            try {
                token = minter.mint(audience, lifetime).strip();
                minted = !token.isEmpty();
            } catch (IllegalStateException e) {
                problem(Settings.ACCESS_TOKEN, "must not be blank (and no OIDC token could be minted: " + e.getMessage()
                        + "); set it, or run inside a Buildkite job where buildkite-agent can mint one");
            }
        }
        if (org.isEmpty()) {
            problem(Settings.ORGANIZATION_SLUG, "must not be blank");
        }
        if (token.isEmpty()) {
            problem(Settings.ACCESS_TOKEN, "must not be blank");
        }
        if (!validUrl(baseUrl)) {
            problem(Settings.BASE_URL, "must be a valid URL");
        }
        String identifier = string(Settings.PLAN_IDENTIFIER).filter(s -> !s.isEmpty()).orElseGet(() -> {
            String build = string(Settings.BUILD_ID).orElse("");
            String step = string(Settings.STEP_ID).orElse("");
            if (build.isEmpty()) {
                problem(Settings.BUILD_ID, "must not be blank");
            }
            if (step.isEmpty()) {
                problem(Settings.STEP_ID, "must not be blank");
            }
            return build + "/" + step;
        });
        return Optional.of(new Config.ApiSettings(suite, org, token, baseUrl, identifier, jobRetryCount,
                string(Settings.BRANCH).orElse(""), string(Settings.JOB_ID).orElse(""),
                string(Settings.BUILD_ID).orElse(""), string(Settings.STEP_ID).orElse(""), minted,
                positive(Settings.API_TIMEOUT), positive(Settings.API_RETRY_BUDGET)));
    }

    /** bktec's upload tags: comma-separated key=value pairs, each with a non-empty key. */
    private Map<String, String> tags() {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        String text = string(Settings.TAGS).orElse("");
        if (text.isBlank()) {
            return tags;
        }
        for (String piece : text.split(",")) {
            int eq = piece.indexOf('=');
            if (eq <= 0) {
                problem(Settings.TAGS, "has \"" + piece + "\", which is not key=value (invalid upload tags)");
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

    /** The raw text of a setting and where it came from, or empty when neither flag nor env var is present. */
    private Optional<Raw> raw(Setting setting) {
        String flagValue = flags.get(setting.flag());
        if (flagValue != null) {
            return Optional.of(new Raw(flagValue, "flag " + setting.optionName()));
        }
        for (String name : setting.envs()) {
            String value = env.get(name);
            if (value != null) {
                return Optional.of(new Raw(value, "env " + name));
            }
        }
        return Optional.empty();
    }

    private record Raw(String text, String source) {
        boolean fromEnv() {
            return source.startsWith("env ");
        }
    }

    private Optional<String> string(Setting setting) {
        return raw(setting).map(Raw::text);
    }

    private Optional<String> nonBlank(Setting setting) {
        return string(setting).filter(s -> !s.isBlank());
    }

    private int integer(Setting setting) {
        Integer value = parsedInt(setting);
        return value == null ? GoValues.parseInt(setting.defaultValue()).orElseThrow() : value;
    }

    /** The parsed int, the default when unset or empty in the env, or null after recording a parse problem. */
    private Integer parsedInt(Setting setting) {
        Optional<Raw> raw = raw(setting);
        if (raw.isEmpty() || (raw.get().fromEnv() && raw.get().text().isEmpty())) {
            return GoValues.parseInt(setting.defaultValue()).orElseThrow();
        }
        Optional<Integer> value = GoValues.parseInt(raw.get().text().trim());
        if (value.isEmpty()) {
            problem(setting, "was \"" + raw.get().text() + "\" (" + raw.get().source() + "), must be a whole number");
            return null;
        }
        return value.get();
    }

    private Optional<Boolean> bool(Setting setting) {
        Optional<Raw> raw = raw(setting);
        if (raw.isEmpty()) {
            return GoValues.parseBool(setting.defaultValue());
        }
        if (raw.get().fromEnv() && raw.get().text().isEmpty()) {
            return Optional.of(false);
        }
        Optional<Boolean> value = GoValues.parseBool(raw.get().text().trim());
        if (value.isEmpty()) {
            problem(setting, "was \"" + raw.get().text() + "\" (" + raw.get().source()
                    + "), must be true or false (also accepted: 1, t, TRUE, 0, f, FALSE)");
        }
        return value;
    }

    private Duration duration(Setting setting) {
        Duration fallback = GoValues.parseDuration(setting.defaultValue()).orElseThrow();
        Optional<Raw> raw = raw(setting);
        if (raw.isEmpty() || (raw.get().fromEnv() && raw.get().text().isEmpty())) {
            return fallback;
        }
        Optional<Duration> value = GoValues.parseDuration(raw.get().text().trim());
        if (value.isEmpty()) {
            problem(setting, "was \"" + raw.get().text() + "\" (" + raw.get().source()
                    + "), must be a duration such as 10s, 1m30s or 500ms");
            return fallback;
        }
        return value.get();
    }

    private Duration positive(Setting setting) {
        Duration value = duration(setting);
        if (value.isNegative() || value.isZero()) {
            problem(setting, "was " + GoValues.format(value) + ", must be greater than 0");
        }
        return value;
    }

    private void atLeast(Setting setting, int value, int min) {
        if (value < min) {
            problem(setting, "was " + value + ", must be greater than or equal to " + min);
        }
    }

    private void atMost(Setting setting, int value, int max) {
        if (value > max) {
            problem(setting, "was " + value + ", must not be greater than " + max);
        }
    }

    private void problem(Setting setting, String message) {
        problems.putIfAbsent(setting.key(), message);
    }
}
