package io.bktec.config;

import java.util.List;

import static io.bktec.config.SettingKind.BOOL;
import static io.bktec.config.SettingKind.DURATION;
import static io.bktec.config.SettingKind.INT;
import static io.bktec.config.SettingKind.STRING;

/** Every flag and env var `bktec run` reads, named exactly as bktec v3 names them (plus bktec-java's own additions). */
public final class Settings {
    private Settings() {
    }

    public static final Setting TEST_RUNNER = visible("test-runner", STRING, "pytest",
            "Test runner: pytest, or pytest-pants (experimental: retry and mute for Pants)", "BUILDKITE_TEST_ENGINE_TEST_RUNNER");
    public static final Setting TEST_COMMAND = visible("test-command", STRING, "",
            "Test command template with {{testExamples}} and {{resultPath}}; default depends on the runner",
            "BUILDKITE_TEST_ENGINE_TEST_CMD");
    public static final Setting RETRY_COMMAND = visible("retry-command", STRING, "",
            "Command template for retry attempts; default: the test command", "BUILDKITE_TEST_ENGINE_RETRY_CMD");
    public static final Setting RESULT_PATH = visible("result-path", STRING, "",
            "Where the runner writes results; default: a fresh temporary file per batch and attempt",
            "BUILDKITE_TEST_ENGINE_RESULT_PATH");
    public static final Setting FILE_PATTERN = visible("test-file-pattern", STRING, "",
            "Glob of test files, within the directories pytest would walk; default: pytest's python_files (test_*.py, *_test.py)", "BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN");
    public static final Setting FILE_EXCLUDE_PATTERN = visible("test-file-exclude-pattern", STRING, "",
            "Glob of files and directories to leave out", "BUILDKITE_TEST_ENGINE_TEST_FILE_EXCLUDE_PATTERN");
    public static final Setting FILES = visible("files", STRING, "",
            "File listing test files, one per line, used instead of discovery", "BUILDKITE_TEST_ENGINE_FILES");
    public static final Setting RETRY_COUNT = visible("test-engine-retry-count", INT, "0",
            "How many times to retry failed tests", "BUILDKITE_TEST_ENGINE_RETRY_COUNT");
    public static final Setting DISABLE_RETRY_MUTED = visible("disable-retry-muted", BOOL, "",
            "true: never retry muted tests; false: retry them too; unset: do not retry them (as bktec v3)",
            "BUILDKITE_TEST_ENGINE_DISABLE_RETRY_FOR_MUTED_TEST");
    public static final Setting PARALLEL_JOB = visible("parallel-job", INT, "0",
            "This node's index, 0-based", "BUILDKITE_PARALLEL_JOB");
    public static final Setting PARALLELISM = visible("parallelism", INT, "1",
            "Number of parallel nodes", "BUILDKITE_PARALLEL_JOB_COUNT");
    public static final Setting FAIL_ON_NO_TESTS = visible("fail-on-no-tests", BOOL, "false",
            "Fail (exit 16) when this node is assigned no tests", "BUILDKITE_TEST_ENGINE_FAIL_ON_NO_TESTS");
    public static final Setting LOCATION_PREFIX = visible("location-prefix", STRING, "",
            "Prefix between discovered paths and the paths results report", "BUILDKITE_TEST_ENGINE_LOCATION_PREFIX",
            "BUILDKITE_ANALYTICS_LOCATION_PREFIX");
    public static final Setting SUITE_SLUG = visible("suite-slug", STRING, "",
            "Test Engine suite; unset: the plan is computed locally", "BUILDKITE_TEST_ENGINE_SUITE_SLUG");
    public static final Setting ACCESS_TOKEN = visible("access-token", STRING, "",
            "Test Engine API token (never printed)", "BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN");
    public static final Setting ORGANIZATION_SLUG = hidden("organization-slug", STRING, "",
            "Buildkite organization", "BUILDKITE_ORGANIZATION_SLUG");
    public static final Setting BASE_URL = hidden("base-url", STRING, "https://api.buildkite.com",
            "Test Engine API base URL", "BUILDKITE_TEST_ENGINE_BASE_URL");
    public static final Setting BUILD_ID = hidden("build-id", STRING, "", "Buildkite build id", "BUILDKITE_BUILD_ID");
    public static final Setting STEP_ID = hidden("step-id", STRING, "", "Buildkite step id", "BUILDKITE_STEP_ID");
    public static final Setting JOB_ID = hidden("job-id", STRING, "", "Buildkite job id", "BUILDKITE_JOB_ID");
    public static final Setting BRANCH = hidden("branch", STRING, "", "Branch being built", "BUILDKITE_BRANCH");
    public static final Setting JOB_RETRY_COUNT = hidden("retry-count", INT, "0",
            "How often Buildkite retried this job", "BUILDKITE_RETRY_COUNT");
    public static final Setting PLAN_IDENTIFIER = visible("plan-identifier", STRING, "",
            "Plan cache key; default: <BUILDKITE_BUILD_ID>/<BUILDKITE_STEP_ID>", "BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER");
    public static final Setting UPLOAD_TOKEN = hidden("upload-token", STRING, "",
            "Suite upload token handed to the test process (never printed)", "BUILDKITE_ANALYTICS_TOKEN");
    public static final Setting SELECTOR_SPLITTING = hidden("selector-splitting", BOOL, "true",
            "Accepted for compatibility with bktec v3 and ignored", "BUILDKITE_TEST_ENGINE_SELECTOR_SPLITTING");
    public static final Setting OIDC = hidden("oidc", BOOL, "true",
            "Mint a missing API token with `buildkite-agent oidc request-token`", "BUILDKITE_TEST_ENGINE_OIDC");
    public static final Setting OIDC_LIFETIME = hidden("oidc-lifetime", DURATION, "2h",
            "Lifetime of a minted OIDC token", "BUILDKITE_TEST_ENGINE_OIDC_LIFETIME");
    public static final Setting BUILDKITE_AGENT_COMMAND = new Setting("buildkite-agent-command", java.util.List.of(),
            STRING, "buildkite-agent", "The buildkite-agent program (for OIDC tokens)", true);
    public static final Setting API_TIMEOUT = hidden("api-timeout", DURATION, "15s",
            "Longest wait for one Test Engine API response", "BUILDKITE_TEST_ENGINE_API_TIMEOUT");
    public static final Setting API_RETRY_BUDGET = hidden("api-retry-budget", DURATION, "130s",
            "Longest time spent retrying one Test Engine API call before falling back",
            "BUILDKITE_TEST_ENGINE_API_RETRY_BUDGET");
    public static final Setting ANNOTATE = visible("annotate", BOOL, "",
            "Annotate the build with failed, muted and flaky tests (default: on under Buildkite when buildkite-agent "
                    + "is on PATH)", "BUILDKITE_TEST_ENGINE_ANNOTATE");
    public static final Setting UPLOAD_RESULTS = visible("upload-results", BOOL, "false",
            "Upload each attempt's result files to the Test Engine (needs BUILDKITE_ANALYTICS_TOKEN)",
            "BUILDKITE_TEST_ENGINE_UPLOAD_RESULTS");
    public static final Setting UPLOAD_BASE_URL = hidden("upload-base-url", STRING, "https://analytics-api.buildkite.com",
            "Test Engine upload API base URL", "BUILDKITE_TEST_ENGINE_UPLOAD_BASE_URL");
    public static final Setting TAGS = visible("tag", STRING, "",
            "Upload tags key=value, comma-separated", "BUILDKITE_TEST_ENGINE_TAGS");
    public static final Setting PROMISE_FAILURE = visible("promise-failure", BOOL, "false",
            "When tests still fail after retries, tell the agent at once (buildkite-agent job promise-failure), so "
                    + "the build can fail fast", "BUILDKITE_TEST_ENGINE_PROMISE_FAILURE");
    public static final Setting DURATIONS_FILE = visible("durations-file", STRING, "",
            "Test durations for the local plan: pytest-split JSON, JUnit XML, collector JSON, or a directory of them; "
                    + "default .test_durations when it exists",
            "BUILDKITE_TEST_ENGINE_DURATIONS_FILE");
    public static final Setting WRITE_DURATIONS = visible("write-durations", BOOL, "false",
            "After the run, write this run's test durations into the durations file",
            "BUILDKITE_TEST_ENGINE_WRITE_DURATIONS");
    public static final Setting SPLIT_BY_EXAMPLE = visible("split-by-example", BOOL, "false",
            "Split slow files into single tests (the Test Engine's choice; locally, files over half a node's share)",
            "BUILDKITE_TEST_ENGINE_SPLIT_BY_EXAMPLE");
    public static final Setting TAG_FILTERS = visible("tag-filters", STRING, "",
            "Run only tests marked execution_tag(key, value) matching key:value (pytest with buildkite-test-collector "
                    + "newer than 1.2.0)", "BUILDKITE_TEST_ENGINE_TAG_FILTERS");
    public static final Setting SELECTOR_FILE = visible("selector-file", STRING, "",
            "File listing tests (files or node ids), one per line; takes precedence over --files",
            "BUILDKITE_TEST_ENGINE_SELECTOR_FILE");
    public static final Setting MAX_PARALLELISM = visible("max-parallelism", INT, "0",
            "`plan`: choose up to this many nodes, with --target-time (0: use --parallelism)",
            "BUILDKITE_TEST_ENGINE_MAX_PARALLELISM");
    public static final Setting TARGET_TIME = visible("target-time", DURATION, "0",
            "`plan`: the suite's wall-time goal; needs --max-parallelism", "BUILDKITE_TEST_ENGINE_TARGET_TIME");
    public static final Setting BATCH_SIZE = visible("batch-size", INT, "0",
            "Most test files per process; 0: one batch unless the argument list would get too long",
            "BUILDKITE_TEST_ENGINE_BATCH_SIZE");
    public static final Setting CONCURRENCY = visible("concurrency", INT, "1",
            "How many test processes run at once on this node", "BUILDKITE_TEST_ENGINE_CONCURRENCY");
    public static final Setting CANCEL_GRACE_PERIOD = visible("cancel-grace-period", DURATION, "10s",
            "After forwarding a cancel signal, how long to wait before killing test processes",
            "BUILDKITE_TEST_ENGINE_CANCEL_GRACE_PERIOD");
    public static final Setting TEST_TIMEOUT = visible("test-timeout", DURATION, "0",
            "Fail a test whose setup, call and teardown together run longer (its stack named; the tests after it still "
                    + "run); @pytest.mark.timeout overrides it without pytest-timeout; 0: none",
            "BUILDKITE_TEST_ENGINE_TEST_TIMEOUT");
    public static final Setting JOB_RETRY = visible("job-retry", STRING, "failed",
            "When Buildkite retries this job (BUILDKITE_RETRY_COUNT >= 1), run only the tests the attempt before it left "
                    + "failing or unrun on this node (failed), or everything (all); local mode only",
            "BUILDKITE_TEST_ENGINE_JOB_RETRY");
    public static final Setting RETRY_MAX_FAILURES = visible("retry-max-failures", STRING, "",
            "Do not retry an attempt with more failed tests than this: a count, or a percentage of the run's tests such as "
                    + "10%; muted tests do not count (default: no limit)", "BUILDKITE_TEST_ENGINE_RETRY_MAX_FAILURES");
    public static final Setting RESULTS_STREAM = visible("results-stream", BOOL, "true",
            "Load bktec's pytest plugin into pytest to see every outcome as it happens (crashes named, teardown "
                    + "errors counted, retries without a result file); false: read result files only",
            "BUILDKITE_TEST_ENGINE_RESULTS_STREAM");
    public static final Setting WORKERS = visible("workers", BOOL, "true",
            "Above concurrency 1, run persistent pytest workers fed one file at a time (needs bktec's pytest plugin); "
                    + "false: batches, one pytest process each", "BUILDKITE_TEST_ENGINE_WORKERS");
    public static final Setting FORK_SERVER = visible("fork-server", BOOL, "true",
            "With workers, start pytest once and fork every worker from it (one start-up instead of one per worker); "
                    + "false: each worker starts pytest itself", "BUILDKITE_TEST_ENGINE_FORK_SERVER");
    public static final Setting DEBUG = visible("debug", BOOL, "false",
            "Print debug output (secrets redacted)", "BUILDKITE_TEST_ENGINE_DEBUG_ENABLED");

    /** Settings of `bktec run`, in help order. */
    public static final List<Setting> RUN = List.of(TEST_RUNNER, TEST_COMMAND, RETRY_COMMAND, RESULT_PATH, FILE_PATTERN,
            FILE_EXCLUDE_PATTERN, FILES, RETRY_COUNT, DISABLE_RETRY_MUTED, PARALLEL_JOB, PARALLELISM, FAIL_ON_NO_TESTS,
            LOCATION_PREFIX, BATCH_SIZE, CONCURRENCY, WORKERS, FORK_SERVER, CANCEL_GRACE_PERIOD, TEST_TIMEOUT, JOB_RETRY, RETRY_MAX_FAILURES, RESULTS_STREAM, DURATIONS_FILE, WRITE_DURATIONS, SUITE_SLUG, ACCESS_TOKEN, PLAN_IDENTIFIER,
            SPLIT_BY_EXAMPLE, TAG_FILTERS, SELECTOR_FILE, ANNOTATE, PROMISE_FAILURE, UPLOAD_RESULTS, TAGS, UPLOAD_BASE_URL, ORGANIZATION_SLUG, BASE_URL, BUILD_ID, STEP_ID, JOB_ID, BRANCH,
            JOB_RETRY_COUNT, UPLOAD_TOKEN, OIDC, OIDC_LIFETIME, API_TIMEOUT, API_RETRY_BUDGET, BUILDKITE_AGENT_COMMAND, SELECTOR_SPLITTING, DEBUG);

    /** Settings of `bktec plan`: those of `run` plus the plan-only ones. */
    public static final List<Setting> PLAN = concat(RUN, List.of(MAX_PARALLELISM, TARGET_TIME));

    private static List<Setting> concat(List<Setting> a, List<Setting> b) {
        java.util.List<Setting> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static Setting visible(String flag, SettingKind kind, String def, String description, String... envs) {
        return new Setting(flag, List.of(envs), kind, def, description, false);
    }

    private static Setting hidden(String flag, SettingKind kind, String def, String description, String... envs) {
        return new Setting(flag, List.of(envs), kind, def, description, true);
    }
}
