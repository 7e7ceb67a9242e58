package io.bktec.cli;

import io.bktec.config.Setting;
import io.bktec.config.SettingKind;
import io.bktec.config.Settings;
import io.bktec.job.Version;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the picocli model from the settings table, so every flag's help names its env var and default. */
final class CommandLineSpec {
    private CommandLineSpec() {
    }

    static CommandLine build() {
        // The second line says which Java runs bktec: the release bundle's own runtime, or a system one.
        CommandSpec root = CommandSpec.create().name("bktec").version("bktec " + Version.current() + " (bktec-java)",
                "Java " + System.getProperty("java.runtime.version") + " at " + System.getProperty("java.home"));
        root.mixinStandardHelpOptions(true);
        root.usageMessage().width(110);
        root.usageMessage().description(
                "Buildkite Test Engine Client for Python test suites: splits tests across parallel jobs, runs this "
                        + "job's share, retries failed tests and exits with a status that reflects the results.",
                "",
                "With no command, bktec runs `run` (as bktec v1 did), configured from the environment.");
        root.addOption(debugOption());
        root.addSubcommand("run", runSpec());
        root.addSubcommand("plan", planSpec());
        root.addSubcommand("durations", durationsSpec());
        CommandLine commandLine = new CommandLine(root);
        commandLine.setCaseInsensitiveEnumValuesAllowed(false);
        return commandLine;
    }

    private static CommandSpec runSpec() {
        CommandSpec run = CommandSpec.create().name("run");
        run.mixinStandardHelpOptions(true);
        run.usageMessage().sortOptions(false).width(110).abbreviateSynopsis(true);
        run.usageMessage().description(
                "Discover test files, get a plan (computed locally unless a Test Engine suite is set), run this "
                        + "node's tests, retry failures and report. Every flag can also be set by its environment "
                        + "variable; a flag beats its variable.");
        for (Setting setting : Settings.RUN) {
            run.addOption(option(setting));
        }
        return run;
    }

    private static CommandSpec planSpec() {
        CommandSpec plan = CommandSpec.create().name("plan");
        plan.mixinStandardHelpOptions(true);
        plan.usageMessage().sortOptions(false).width(110).abbreviateSynopsis(true).description(
                "Create the plan without running tests and print it. Exactly one of --json, --plan-out or "
                        + "--pipeline-upload. Only the requested output goes to stdout; everything else goes to stderr.");
        plan.addOption(OptionSpec.builder("--json").type(boolean.class).arity("0")
                .description("Print {\"BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER\": …, \"BUILDKITE_TEST_ENGINE_PARALLELISM\": …} "
                        + "on one line, for `buildkite-agent env set --input-format=json -`").build());
        plan.addOption(OptionSpec.builder("--plan-out").type(String.class).paramLabel("<path|->")
                .description("Write the whole plan as JSON to this file, or to stdout for -").build());
        plan.addOption(OptionSpec.builder("--pipeline-upload").type(String.class).paramLabel("<template>")
                .description("Run `buildkite-agent pipeline upload <template>` with BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER "
                        + "and BUILDKITE_TEST_ENGINE_PARALLELISM set").build());
        for (Setting setting : Settings.PLAN) {
            plan.addOption(option(setting));
        }
        return plan;
    }

    private static CommandSpec durationsSpec() {
        CommandSpec durations = CommandSpec.create().name("durations");
        durations.mixinStandardHelpOptions(true);
        durations.usageMessage().width(110).description(
                "Merge test durations from earlier builds' artifacts into one pytest-split file, for the local plan "
                        + "(BUILDKITE_TEST_ENGINE_DURATIONS_FILE). Inputs are read in the order given and a later "
                        + "input's figure for a test wins; list the existing file first to keep tests the others lack.");
        durations.addOption(OptionSpec.builder("--output", "-o").type(String.class).paramLabel("<file>")
                .description("Where to write the merged durations", "default: .test_durations").build());
        durations.addPositional(CommandLine.Model.PositionalParamSpec.builder().type(String[].class).arity("1..*")
                .paramLabel("INPUT").description("pytest-split JSON, JUnit XML, buildkite-test-collector JSON, or a "
                        + "directory searched for *.xml and *.json files that are any of them").build());
        return durations;
    }

    /** The positional arguments the user gave. */
    static List<String> positionals(CommandLine.ParseResult result) {
        return List.of(result.matchedPositionalValue(0, new String[0]));
    }

    private static OptionSpec option(Setting setting) {
        String def = setting.defaultValue().isEmpty() ? "(none)" : setting.defaultValue();
        OptionSpec.Builder builder = OptionSpec.builder(setting.optionName())
                .type(String.class)
                .hidden(setting.hidden())
                .description(setting.description(),
                        "env: " + String.join(", then ", setting.envs()), "default: " + def);
        if (setting.kind() == SettingKind.BOOL) {
            builder.arity("0..1").fallbackValue("true").paramLabel("<true|false>");
        } else if (setting == Settings.TAGS) {
            builder.type(String[].class).arity("1").paramLabel("<key=value>"); // repeatable, as bktec's --tag
        } else {
            builder.arity("1").paramLabel("<" + setting.kind().name().toLowerCase(java.util.Locale.ROOT) + ">");
        }
        return builder.build();
    }

    private static OptionSpec debugOption() {
        return OptionSpec.builder("--debug").type(String.class).arity("0..1").fallbackValue("true")
                .paramLabel("<true|false>")
                .description("Print debug output (secrets redacted)", "env: BUILDKITE_TEST_ENGINE_DEBUG_ENABLED")
                .build();
    }

    /** Flag values the user gave, keyed by flag name without dashes. */
    static Map<String, String> givenFlags(CommandLine.ParseResult result) {
        Map<String, String> flags = new HashMap<>();
        for (OptionSpec option : result.matchedOptions()) {
            String name = option.longestName().replaceFirst("^--", "");
            if (!name.equals("help") && !name.equals("version")) {
                Object value = result.matchedOptionValue(option.longestName(), null);
                flags.put(name, value instanceof String[] values ? String.join(",", values)
                        : value == null ? "" : value.toString());
            }
        }
        return flags;
    }
}
