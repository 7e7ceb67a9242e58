package io.bktec.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class NodeIdsTest {
    private static final Predicate<String> NO_FILES = p -> false;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tests.test_auth.TestLogin|test_success|tests/test_auth.py::TestLogin::test_success",
            "tests.MyTest.test_subtract.TestSubtract|test_positive|tests/MyTest/test_subtract.py::TestSubtract::test_positive",
            "test_sample|test_happy|test_sample.py::test_happy",
            "tests.pkg.helpers_test|test_helper_fail|tests/pkg/helpers_test.py::test_helper_fail",
            "app.checks.Validator|test_ok|app/checks.py::Validator::test_ok",
            "app.checks|test_ok|app/checks.py::test_ok",
            "|tests.test_import_error|tests.test_import_error"})
    void bktecHeuristicWhenNothingIsOnDisk(String classname, String name, String expected) {
        assertThat(NodeIds.fromJUnit(classname == null ? "" : classname, name, "", NO_FILES, NO_FILES)).isEqualTo(expected);
        assertThat(NodeIds.heuristic(classname == null ? "" : classname, name)).isEqualTo(expected);
    }

    @Test
    void probingFindsDottedDirectoriesAndLowercaseClasslessModules() {
        Set<String> files = Set.of("tests/api.v2/test_dotted.py", "src/checks.py", "tests/test_import_error.py");
        Set<String> dirs = Set.of("tests", "tests/api.v2", "src");
        assertThat(NodeIds.fromJUnit("tests.api.v2.test_dotted.TestVersioned", "test_v2", "", files::contains, dirs::contains))
                .isEqualTo("tests/api.v2/test_dotted.py::TestVersioned::test_v2");
        assertThat(NodeIds.fromJUnit("src.checks.lowercase_class", "test_x", "", files::contains, dirs::contains))
                .isEqualTo("src/checks.py::lowercase_class::test_x");
        assertThat(NodeIds.fromJUnit("", "tests.test_import_error", "", files::contains, dirs::contains))
                .isEqualTo("tests/test_import_error.py");
    }

    @Test
    void fileAttributeWinsOverGuessing() {
        assertThat(NodeIds.fromJUnit("tests.api.v2.test_dotted.TestVersioned", "t", "tests/api.v2/test_dotted.py",
                NO_FILES, NO_FILES)).isEqualTo("tests/api.v2/test_dotted.py::TestVersioned::t");
    }

    @Test
    void collectorIdsAreRejoinedAndRebased() {
        assertThat(NodeIds.fromCollector("tests/test_params.py::test_normalise[a", "b]", "tests/test_params.py"))
                .isEqualTo("tests/test_params.py::test_normalise[a::b]");
        assertThat(NodeIds.fromCollector("", "tests/test_import_error.py", "tests/test_import_error.py"))
                .isEqualTo("tests/test_import_error.py");
        assertThat(NodeIds.fromCollector("tests/test_classes.py::TestOuter::TestInner", "test_x", "test_classes.py"))
                .isEqualTo("test_classes.py::TestOuter::TestInner::test_x");
        assertThat(NodeIds.fromCollector("tests/a.py", "test_x", "sample/tests/a.py"))
                .isEqualTo("sample/tests/a.py::test_x");
        assertThat(NodeIds.fromCollector("tests/a.py", "test_x", "other/b.py")).isEqualTo("tests/a.py::test_x");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tests/test_x.py::test_y|tests.test_x|test_y",
            "tests/api.v2/test_d.py::TestV::test_s|tests.api.v2.test_d.TestV|test_s",
            "tests/test_p.py::test_l[a::b]|tests.test_p|test_l[a::b]",
            "tests/test_p.py::test_l[x/y.py]|tests.test_p|test_l[x/y.py]",
            "tests/test_o.py::TestA::TestB::test_c|tests.test_o.TestA.TestB|test_c",
            "tests/test_m.py|''|tests.test_m"})
    void junitScopeIsHowPytestsJunitXmlNamesANodeId(String nodeId, String classname, String name) {
        assertThat(NodeIds.junitScope(nodeId)).isEqualTo(new NodeIds.ScopeAndName(classname, name));
    }

    @Test
    void collectorScopeSplitsAtTheLastSeparatorAsTheCollectorDoes() {
        assertThat(NodeIds.collectorScope("tests/test_p.py::test_l[a::b]"))
                .isEqualTo(new NodeIds.ScopeAndName("tests/test_p.py::test_l[a", "b]"));
        assertThat(NodeIds.collectorScope("tests/test_m.py")).isEqualTo(new NodeIds.ScopeAndName("", "tests/test_m.py"));
    }
}
