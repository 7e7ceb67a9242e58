package io.bktec.results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Paths to the real pytest outputs copied into testdata/ (see testdata/pytest-results/README.md). */
final class Fixtures {
    private Fixtures() {
    }

    static final Path RESULTS = Path.of("testdata/pytest-results");
    static final Path SAMPLE = Path.of("testdata/sample");

    /** Failed, non-collection-error tests of collector-full.json as scope::name, in file order ("list A"). */
    static final List<String> LIST_A = List.of(
            "tests/api.v2/test_dotted.py::TestVersioned::test_v2_status",
            "tests/pkg/helpers_test.py::test_helper_fail",
            "tests/pkg/sub/test_nested.py::TestDeep::test_deep_fail",
            "tests/pkg/sub/test_nested.py::test_nested_param[c.d]",
            "tests/test_basic.py::test_failing_assertion",
            "tests/test_basic.py::test_raises_unexpected_exception",
            "tests/test_basic.py::test_unexpected_pass_strict",
            "tests/test_classes.py::TestCalculator::test_divide_by_zero",
            "tests/test_classes.py::TestCalculator::test_is_positive[-1]",
            "tests/test_classes.py::TestOuter::TestInner::test_inner_fails",
            "tests/test_classes.py::LegacyTests::test_legacy_fail",
            "tests/test_fixture_errors.py::test_query_users",
            "tests/test_fixture_errors.py::test_query_orders",
            "tests/test_fixture_errors.py::test_fails_and_teardown_fails",
            "tests/test_params.py::test_label_is_short[with space]",
            "tests/test_params.py::test_label_is_short[with [brackets]]",
            "tests/test_params.py::test_label_is_short[\\xfcn\\xefc\\xf6d\\xe9]",
            "tests/test_params.py::test_label_is_short[a::b]",
            "tests/test_params.py::test_add_generated_ids[2-2-5]",
            "tests/test_subtests.py::test_many_inputs");

    static List<TestResult> read(ResultReader reader, Path file) throws Exception {
        List<TestResult> results = new ArrayList<>();
        reader.read(file, results::add);
        return results;
    }
}
