package io.bktec.runner;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PytestTest {
    private final List<String> notices = new ArrayList<>();
    private final AtomicInteger probes = new AtomicInteger();

    private CollectorProbe probe(boolean installed) {
        return () -> {
            probes.incrementAndGet();
            return installed;
        };
    }

    @Test
    void defaultCommandFollowsTheCollector() throws Exception {
        Pytest json = Pytest.configure(Optional.empty(), Optional.empty(), probe(true), notices::add);
        assertThat(json.resultMode()).isEqualTo(ResultMode.JSON);
        assertThat(json.testCommand().text()).isEqualTo("pytest {{testExamples}} --json={{resultPath}}");
        assertThat(json.retryCommand()).isSameAs(json.testCommand());
        Pytest junit = Pytest.configure(Optional.empty(), Optional.empty(), probe(false), notices::add);
        assertThat(junit.resultMode()).isEqualTo(ResultMode.JUNIT);
        assertThat(junit.testCommand().text()).isEqualTo("pytest {{testExamples}} --junit-xml={{resultPath}}");
        assertThat(notices).anyMatch(n -> n.contains("JUnit XML"));
    }

    @Test
    void junitFlagInTheCommandDecidesWithoutProbing() throws Exception {
        Pytest p = Pytest.configure(Optional.of("python -m pytest {{testExamples}} --junit-xml={{resultPath}}"),
                Optional.of("python -m pytest -x {{testExamples}} --junit-xml={{resultPath}}"), probe(true), notices::add);
        assertThat(p.resultMode()).isEqualTo(ResultMode.JUNIT);
        assertThat(p.retryCommand().text()).contains("-x");
        assertThat(probes).hasValue(0);
    }

    @Test
    void jsonFlagWithoutTheCollectorIsAUserError() {
        assertThatThrownBy(() -> Pytest.configure(Optional.of("pytest --json={{resultPath}}"), Optional.empty(),
                probe(false), notices::add)).hasMessageContaining("buildkite-test-collector is not installed");
    }

    @Test
    void commandWithoutAResultFlagIsWarnedAbout() throws Exception {
        Pytest.configure(Optional.of("pytest -q"), Optional.empty(), probe(false), notices::add);
        assertThat(notices).anyMatch(n -> n.contains("cannot read its results"));
    }

    @Test
    void pathsStartingWithADashAreNotReadAsOptions() throws Exception {
        Pytest p = Pytest.configure(Optional.empty(), Optional.empty(), probe(false), notices::add);
        assertThat(p.commandLineArgument("-weird_test.py")).isEqualTo("./-weird_test.py");
        assertThat(p.commandLineArgument("tests/test_a.py")).isEqualTo("tests/test_a.py");
    }

    @Test
    void exitCodesMeanWhatPytestDocuments() throws Exception {
        Pytest p = Pytest.configure(Optional.empty(), Optional.empty(), probe(false), notices::add);
        assertThat(p.meaningOf(0)).isEqualTo(ExitMeaning.PASSED);
        assertThat(p.meaningOf(1)).isEqualTo(ExitMeaning.TESTS_FAILED);
        assertThat(p.meaningOf(2)).isEqualTo(ExitMeaning.TERMINAL);
        assertThat(p.meaningOf(3)).isEqualTo(ExitMeaning.TERMINAL);
        assertThat(p.meaningOf(4)).isEqualTo(ExitMeaning.TERMINAL);
        assertThat(p.meaningOf(5)).isEqualTo(ExitMeaning.NO_TESTS);
        assertThat(p.meaningOf(42)).isEqualTo(ExitMeaning.TERMINAL);
    }
}
