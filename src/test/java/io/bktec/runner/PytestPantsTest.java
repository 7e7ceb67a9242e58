package io.bktec.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PytestPantsTest {
    private final List<String> notices = new ArrayList<>();

    private PytestPants configure(String command, int node, int nodes) throws CommandTemplateException {
        return PytestPants.configure(Optional.of(command), Optional.empty(), node, nodes, false, notices::add);
    }

    @Test
    void documentedCommandsAreAccepted() throws Exception {
        assertThat(configure("pants test //:: -- --json={{resultPath}} --merge-json", 0, 1).resultMode())
                .isEqualTo(ResultMode.JSON);
        assertThat(configure("pants --filter-target-type=python_test test //:: -- --json={{resultPath}} --merge-json", 0, 1)
                .resultMode()).isEqualTo(ResultMode.JSON);
        assertThat(configure("pants --filter-target-type=python_test --changed-since=HEAD~1 test -- --json={{resultPath}} --merge-json", 0, 1)
                .resultMode()).isEqualTo(ResultMode.JSON);
        assertThat(configure("pants test //:: -- --junit-xml={{resultPath}}", 0, 1).resultMode()).isEqualTo(ResultMode.JUNIT);
    }

    @Test
    void theSeparatorMustBeARealWordNotASubstring() {
        // bktec accepts this (its first "--" is inside --filter-target-type) though pytest never sees the options
        assertThatThrownBy(() -> configure("pants --filter-target-type=python_test test :: --json={{resultPath}} --merge-json", 0, 1))
                .isInstanceOf(CommandTemplateException.class).hasMessageContaining("-- word");
        // bktec rejects this (its first "--" is inside --json=) though it has a separator after the options
        assertThatThrownBy(() -> configure("pants test --json={{resultPath}} --merge-json //::", 0, 1))
                .hasMessageContaining("-- word");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pants test {{testExamples}} -- --json={{resultPath}} --merge-json|does not support {{testExamples}}",
            "pants test //:: -- --json={{resultPath}}|needs --merge-json",
            "pants test //:: -- --json=out.json --merge-json|needs --json={{resultPath}}",
            "pants test //:: -- --junit-xml=out.xml|needs --junit-xml={{resultPath}}",
            "pants test //:: -- -q|writes no results",
            "pants test --junit-xml={{resultPath}} //:: -- -q|is a pytest option",
            "pants test //:: -- --json='{{resultPath}}|unterminated single quote"})
    void rejectedFormsSayWhyAndShowAWorkingCommand(String command, String reason) {
        assertThatThrownBy(() -> configure(command, 0, 1)).isInstanceOf(CommandTemplateException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aTestCommandIsRequired() {
        assertThatThrownBy(() -> PytestPants.configure(Optional.empty(), Optional.empty(), 0, 1, false, notices::add))
                .hasMessageContaining("needs a test command").hasMessageContaining(PytestPants.JSON_EXAMPLE);
    }

    @Test
    void parallelNodesShardBeforeTheGoalUnlessAlreadySharded() throws Exception {
        PytestPants p = configure("pants --filter-target-type=python_test test //:: -- --json={{resultPath}} --merge-json", 1, 3);
        assertThat(p.testCommand().expand(List.of(), "r.json")).containsExactly("pants",
                "--filter-target-type=python_test", "--test-shard=1/3", "test", "//::", "--", "--json=r.json", "--merge-json");
        assertThat(p.retryCommand().words()).contains("--test-shard=1/3");
        PytestPants own = configure("pants --test-shard=0/2 test //:: -- --json={{resultPath}} --merge-json", 1, 3);
        assertThat(own.testCommand().words()).containsOnlyOnce("--test-shard=0/2").doesNotContain("--test-shard=1/3");
        assertThat(configure("pants test :: -- --junit-xml={{resultPath}}", 0, 1).testCommand().words())
                .noneMatch(w -> w.contains("shard"));
    }

    @Test
    void ignoredPatternsAreWarnedAbout() throws Exception {
        PytestPants.configure(Optional.of("pants test :: -- --junit-xml={{resultPath}}"), Optional.empty(), 0, 1, true,
                notices::add);
        assertThat(notices).anyMatch(n -> n.contains("ignores BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN"));
    }

    @Test
    void exitTwoIsReadFromTheResultsAndRunsTheWholeCommand() throws Exception {
        PytestPants p = configure("pants test :: -- --junit-xml={{resultPath}}", 0, 1);
        assertThat(p.meaningOf(2)).isEqualTo(ExitMeaning.TESTS_FAILED);
        assertThat(p.meaningOf(3)).isEqualTo(ExitMeaning.TERMINAL);
        assertThat(p.runsWholeCommand()).isTrue();
        assertThat(p.latestDuplicateWins()).isTrue();
    }
}
