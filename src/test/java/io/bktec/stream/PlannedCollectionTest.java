package io.bktec.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlannedCollectionTest {
    private static List<String> many(String... tests) {
        List<String> all = new ArrayList<>(List.of(tests));
        while (all.size() < PlannedCollection.MIN_TESTS) {
            all.add(tests[0]);
        }
        return all;
    }

    @Test
    void theDirectoryIsTheDeepestOneHoldingEveryTestsFile() {
        assertThat(PlannedCollection.commonDirectory(List.of("tests/unit/test_a.py", "tests/unit/sub/test_b.py::t")))
                .isEqualTo("tests/unit");
        assertThat(PlannedCollection.commonDirectory(List.of("tests/unit/test_a.py", "tests/integration/test_b.py")))
                .isEqualTo("tests");
        assertThat(PlannedCollection.commonDirectory(List.of("tests/test_a.py", "test_top.py"))).isEqualTo(".");
        assertThat(PlannedCollection.commonDirectory(List.of("./tests//test_a.py::T::t[a/b]", "tests/test_b.py")))
                .isEqualTo("tests");
        assertThat(PlannedCollection.commonDirectory(List.of("/abs/x/test_a.py", "/abs/y/test_b.py"))).isEqualTo("/abs");
        assertThat(PlannedCollection.commonDirectory(List.of("/test_a.py"))).isEqualTo("/");
    }

    @Test
    void onlyManyTestsAllRelativeOrAllAbsoluteAndNoLineBreaksSuit() {
        assertThat(PlannedCollection.suits(many("tests/test_a.py"))).isTrue();
        assertThat(PlannedCollection.suits(Collections.nCopies(PlannedCollection.MIN_TESTS - 1, "tests/test_a.py")))
                .isFalse();
        assertThat(PlannedCollection.suits(many("tests/test_a.py", "/abs/test_b.py"))).isFalse();
        assertThat(PlannedCollection.suits(many("tests/test_a.py", "tests/test_b.py::t[x\ny]"))).isFalse();
        // however few (a fork server's workers always get a list), the same shape rules hold
        assertThat(PlannedCollection.possible(List.of("tests/test_a.py"))).isTrue();
        assertThat(PlannedCollection.possible(List.of())).isFalse();
        assertThat(PlannedCollection.possible(List.of("tests/test_a.py", "/abs/test_b.py"))).isFalse();
        assertThat(PlannedCollection.possible(List.of("tests/test_b.py::t[x\ny]"))).isFalse();
    }

    @Test
    void theArgumentsAreTheDirectoryAndTheOptionAndTheListHoldsEveryTestAsPlanned() {
        assertThat(PlannedCollection.arguments(List.of("-odd/test_a.py", "-odd/test_b.py"), "/tmp/l.txt"))
                .containsExactly("./-odd", "--bktec-planned=/tmp/l.txt");
        assertThat(PlannedCollection.arguments("-d", "/tmp/l.txt")).containsExactly("./-d", "--bktec-planned=/tmp/l.txt");
        assertThat(PlannedCollection.listing(List.of("a/test_x.py", "a/test_y.py::t[1]")))
                .isEqualTo("a/test_x.py\na/test_y.py::t[1]\n");
    }
}
