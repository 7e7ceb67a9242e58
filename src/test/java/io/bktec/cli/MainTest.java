package io.bktec.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void onlyARunOfTestsWarmsUpTheProcessLibraries() {
        assertThat(Main.runsTests(new String[0])).isTrue();
        assertThat(Main.runsTests(new String[]{"run", "--test-engine-retry-count", "2"})).isTrue();
        assertThat(Main.runsTests(new String[]{"plan", "--json"})).isFalse();
        assertThat(Main.runsTests(new String[]{"--version"})).isFalse();
        assertThat(Main.runsTests(new String[]{"run", "-h"})).isFalse();
    }

    @Test
    void tagsRepeatAndJoinAsTheEnvVarWouldHoldThem() {
        picocli.CommandLine.ParseResult parsed = CommandLineSpec.build()
                .parseArgs("run", "--tag", "team=py", "--tag", "os=linux,arch=x86", "--test-engine-retry-count", "2");
        Map<String, String> flags = CommandLineSpec.givenFlags(parsed.subcommand());
        assertThat(flags).containsEntry("tag", "team=py,os=linux,arch=x86").containsEntry("test-engine-retry-count", "2");
    }

    @Test
    void onlyARunOrAPlanMayAskPython() {
        assertThat(Main.runsOrPlans(new String[0])).isTrue();
        assertThat(Main.runsOrPlans(new String[]{"run", "--test-engine-retry-count", "2"})).isTrue();
        assertThat(Main.runsOrPlans(new String[]{"plan", "--json"})).isTrue();
        assertThat(Main.runsOrPlans(new String[]{"--version"})).isFalse();
        assertThat(Main.runsOrPlans(new String[]{"run", "--help"})).isFalse();
        assertThat(Main.runsOrPlans(new String[]{"durations", "a.xml"})).isFalse();
    }
}
