package io.bktec.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLoaderTest {
    private final List<String> notices = new ArrayList<>();

    private Config load(Map<String, String> flags, Map<String, String> env) throws ConfigException {
        return new ConfigLoader(flags, env).load(notices::add);
    }

    private List<String> problems(Map<String, String> flags, Map<String, String> env) {
        try {
            load(flags, env);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a configuration error");
    }

    @Test
    void defaultsMatchBktecV3AndSayPytestWasChosen() throws Exception {
        Config config = load(Map.of(), Map.of());
        assertThat(config.runner()).isEqualTo(RunnerName.PYTEST);
        assertThat(config.plan().parallelism()).isEqualTo(1);
        assertThat(config.plan().parallelJob()).isZero();
        assertThat(config.retry().count()).isZero();
        assertThat(config.retry().muted()).isFalse();
        assertThat(config.processes().concurrency()).isEqualTo(1);
        assertThat(config.processes().batchSize()).isZero();
        assertThat(config.processes().cancelGracePeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.localMode()).isTrue();
        assertThat(config.commands().test()).isEmpty();
        assertThat(notices).containsExactly("BUILDKITE_TEST_ENGINE_TEST_RUNNER is not set; using pytest");
    }

    @Test
    void aRetriedJobKnowsItsAttemptAndWhatToRerunAndTheRetryLimitIsParsed() throws Exception {
        Config plain = load(Map.of(), Map.of());
        assertThat(plain.job().attempt()).isEqualTo(new Config.JobAttempt("", "", 0, true));
        assertThat(plain.job().attempt().identified()).isFalse();
        assertThat(plain.retry().maxFailures()).isEmpty();
        Config retried = load(Map.of("job-retry", "all", "retry-max-failures", "10%"), Map.of("BUILDKITE_BUILD_ID", "b",
                "BUILDKITE_STEP_ID", "s", "BUILDKITE_RETRY_COUNT", "2"));
        assertThat(retried.job().attempt()).isEqualTo(new Config.JobAttempt("b", "s", 2, false));
        assertThat(retried.job().attempt().identified()).isTrue();
        assertThat(retried.retry().maxFailures()).contains(new RetryLimit(-1, 10));
        assertThat(load(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_JOB_RETRY", "failed",
                "BUILDKITE_TEST_ENGINE_RETRY_MAX_FAILURES", "50")).retry().maxFailures()).contains(new RetryLimit(50, -1));
        assertThat(problems(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_JOB_RETRY", "some",
                "BUILDKITE_TEST_ENGINE_RETRY_MAX_FAILURES", "many"))).containsExactly(
                "BUILDKITE_TEST_ENGINE_JOB_RETRY was \"some\", must be failed or all",
                "BUILDKITE_TEST_ENGINE_RETRY_MAX_FAILURES was \"many\", must be a whole number or a percentage such as 10%");
    }

    @Test
    void aTagFilterIsOneKeyColonValueSplitAtTheFirstColon() throws Exception {
        assertThat(load(Map.of("tag-filters", "team:a"), Map.of()).files().tagFilter()).contains(new TagFilter("team", "a"));
        assertThat(load(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_TAG_FILTERS", "url:http://x")).files().tagFilter())
                .contains(new TagFilter("url", "http://x"));
        assertThat(load(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_TAG_FILTERS", "")).files().tagFilter()).isEmpty();
        for (String bad : List.of("team", ":a", "team:", "team=a")) {
            assertThat(problems(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_TAG_FILTERS", bad)))
                    .containsExactly("BUILDKITE_TEST_ENGINE_TAG_FILTERS was \"" + bad + "\", must be key:value (one "
                            + "execution tag, e.g. team:frontend)");
        }
    }

    @Test
    void aTagFilterWithPytestPantsIsRefused() {
        assertThat(problems(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_TAG_FILTERS", "team:a",
                "BUILDKITE_TEST_ENGINE_TEST_RUNNER", "pytest-pants", "BUILDKITE_TEST_ENGINE_TEST_CMD", "pants test")))
                .containsExactly("BUILDKITE_TEST_ENGINE_TAG_FILTERS is set, but tag filtering is only supported for "
                        + "the pytest test runner (BUILDKITE_TEST_ENGINE_TEST_RUNNER is pytest-pants)");
    }

    @Test
    void flagBeatsEnvVar() throws Exception {
        Config config = load(Map.of("test-engine-retry-count", "3"), Map.of("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1"));
        assertThat(config.retry().count()).isEqualTo(3);
    }

    @Test
    void emptyEnvIntKeepsDefaultAndEmptyEnvBoolIsFalse() throws Exception {
        Config config = load(Map.of(), Map.of("BUILDKITE_PARALLEL_JOB_COUNT", "", "BUILDKITE_TEST_ENGINE_DEBUG_ENABLED", "",
                "BUILDKITE_TEST_ENGINE_DISABLE_RETRY_FOR_MUTED_TEST", ""));
        assertThat(config.plan().parallelism()).isEqualTo(1);
        assertThat(config.debug()).isFalse();
        // explicitly false-y "disable" means: retry muted tests (bktec v3 semantics)
        assertThat(config.retry().muted()).isTrue();
    }

    @Test
    void intsTakeGoBasePrefixes() throws Exception {
        Config config = load(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "0x2", "BUILDKITE_PARALLEL_JOB_COUNT", "010",
                "BUILDKITE_PARALLEL_JOB", "7"));
        assertThat(config.retry().count()).isEqualTo(2);
        assertThat(config.plan().parallelism()).isEqualTo(8);
        assertThat(config.plan().parallelJob()).isEqualTo(7);
    }

    @Test
    void disableRetryMutedTrueKeepsMutedTestsOutOfRetries() throws Exception {
        assertThat(load(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_DISABLE_RETRY_FOR_MUTED_TEST", "true")).retry().muted()).isFalse();
        assertThat(load(Map.of("disable-retry-muted", "false"), Map.of()).retry().muted()).isTrue();
    }

    @Test
    void nonNumericRetryCountNamesTheValueAndTheVariable() {
        assertThat(problems(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "two")))
                .containsExactly("BUILDKITE_TEST_ENGINE_RETRY_COUNT was \"two\" (env BUILDKITE_TEST_ENGINE_RETRY_COUNT), must be a whole number");
    }

    @Test
    void negativeRetryCount() {
        assertThat(problems(Map.of("test-engine-retry-count", "-1"), Map.of()))
                .containsExactly("BUILDKITE_TEST_ENGINE_RETRY_COUNT was -1, must be greater than or equal to 0");
    }

    @Test
    void indexMustBeBelowCount() {
        assertThat(problems(Map.of(), Map.of("BUILDKITE_PARALLEL_JOB", "4", "BUILDKITE_PARALLEL_JOB_COUNT", "4")))
                .containsExactly("BUILDKITE_PARALLEL_JOB was 4, must not be greater than 3");
    }

    @Test
    void parallelismZeroGivesBothBktecErrorsSorted() {
        assertThat(problems(Map.of(), Map.of("BUILDKITE_PARALLEL_JOB_COUNT", "0"))).containsExactly(
                "BUILDKITE_PARALLEL_JOB was 0, must not be greater than -1",
                "BUILDKITE_PARALLEL_JOB_COUNT was 0, must be greater than or equal to 1");
    }

    @Test
    void unparsableCountSkipsTheIndexUpperBound() {
        assertThat(problems(Map.of(), Map.of("BUILDKITE_PARALLEL_JOB", "9", "BUILDKITE_PARALLEL_JOB_COUNT", "x")))
                .containsExactly("BUILDKITE_PARALLEL_JOB_COUNT was \"x\" (env BUILDKITE_PARALLEL_JOB_COUNT), must be a whole number");
    }

    @Test
    void unknownRunnerListsTheValidNames() {
        assertThat(problems(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_TEST_RUNNER", "rspec")))
                .containsExactly("BUILDKITE_TEST_ENGINE_TEST_RUNNER has unsupported value \"rspec\"; valid values: pytest, pytest-pants");
    }

    @Test
    void badBoolIncludingTheIgnoredSelectorSplittingIsAnError() {
        assertThat(problems(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_SELECTOR_SPLITTING", "yes")))
                .singleElement().asString().startsWith("BUILDKITE_TEST_ENGINE_SELECTOR_SPLITTING was \"yes\"");
    }

    @Test
    void problemsAreCollectedAndSortedByKey() {
        Map<String, String> env = new HashMap<>();
        env.put("BUILDKITE_TEST_ENGINE_TEST_RUNNER", "jest");
        env.put("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "-2");
        env.put("BUILDKITE_TEST_ENGINE_CONCURRENCY", "0");
        env.put("BUILDKITE_TEST_ENGINE_CANCEL_GRACE_PERIOD", "soon");
        List<String> problems = problems(Map.of(), env);
        assertThat(problems).hasSize(4);
        assertThat(problems).isSorted();
        assertThat(problems.get(0)).startsWith("BUILDKITE_TEST_ENGINE_CANCEL_GRACE_PERIOD was \"soon\"");
    }

    @Test
    void suiteSlugSwitchesToApiModeAndRequiresItsSettings() {
        assertThat(problems(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "my-suite", "BUILDKITE_TEST_ENGINE_OIDC", "false")))
                .containsExactly(
                        "BUILDKITE_BUILD_ID must not be blank",
                        "BUILDKITE_ORGANIZATION_SLUG must not be blank",
                        "BUILDKITE_STEP_ID must not be blank",
                        "BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN must not be blank");
    }

    @Test
    void aMissingTokenIsMintedWithOidcAndAFailedMintSaysWhy() throws Exception {
        Map<String, String> env = Map.of("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "py", "BUILDKITE_ORGANIZATION_SLUG", "acme",
                "BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER", "id", "BUILDKITE_TEST_ENGINE_OIDC_LIFETIME", "10m");
        List<String> asked = new ArrayList<>();
        Config config = new ConfigLoader(Map.of(), env, (audience, lifetime) -> {
            asked.add(audience + " " + lifetime.toSeconds());
            return "minted-token\n";
        }).load(notices::add);
        assertThat(config.api().orElseThrow().accessToken().value()).isEqualTo("minted-token");
        assertThat(config.api().get().tokenFromOidc()).isTrue();
        assertThat(asked).containsExactly("https://api.buildkite.com/v2/analytics/organizations/acme/suites/py 600");
        assertThat(problems(Map.of(), env)).singleElement().asString()
                .startsWith("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN must not be blank (and no OIDC token could be minted");
    }

    @Test
    void aGivenTokenNeverRunsTheAgent() throws Exception {
        Config config = new ConfigLoader(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "py",
                "BUILDKITE_ORGANIZATION_SLUG", "acme", "BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", "t0k",
                "BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER", "id"), (a, l) -> {
            throw new AssertionError("must not mint");
        }).load(notices::add);
        assertThat(config.api().orElseThrow().tokenFromOidc()).isFalse();
    }

    @Test
    void planOnlySettingsAreValidatedForPlan() {
        List<String> problems = new ArrayList<>();
        try {
            new ConfigLoader(Map.of("max-parallelism", "1500", "target-time", "25h"), Map.of()).loadForPlan(notices::add);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        assertThat(problems).containsExactly("max-parallelism was 1500, must be between 0 and 1000",
                "target-time was 25h0m0s, must be less than or equal to 24 hours");
    }

    @Test
    void apiSettingsNeverShowTheTokenInToString() throws Exception {
        Config config = load(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_SUITE_SLUG", "s", "BUILDKITE_ORGANIZATION_SLUG", "o",
                "BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN", "bkua_sentinel_123", "BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER", "id",
                "BUILDKITE_ANALYTICS_TOKEN", "upload_sentinel_456"));
        assertThat(config.localMode()).isFalse();
        assertThat(config.toString()).doesNotContain("bkua_sentinel_123").doesNotContain("upload_sentinel_456")
                .contains("[REDACTED]");
    }

    @Test
    void locationPrefixFallsBackToTheAnalyticsVariable() throws Exception {
        assertThat(load(Map.of(), Map.of("BUILDKITE_ANALYTICS_LOCATION_PREFIX", "app/")).plan().locationPrefix()).isEqualTo("app/");
    }

    @Test
    void blankTestCommandIsRejected() {
        assertThat(problems(Map.of(), Map.of("BUILDKITE_TEST_ENGINE_TEST_CMD", "   ")))
                .containsExactly("BUILDKITE_TEST_ENGINE_TEST_CMD must not be blank");
    }
}
