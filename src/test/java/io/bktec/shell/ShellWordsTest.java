package io.bktec.shell;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellWordsTest {
    @Test
    void splitsLikeAPosixShellWithoutExpansion() throws Exception {
        assertThat(ShellWords.split("pytest  -k 'a and b' \"x \\\"y\\\" $HOME\" c\\ d")).containsExactly(
                "pytest", "-k", "a and b", "x \"y\" $HOME", "c d");
        assertThat(ShellWords.split("a 'it'\\''s' b")).containsExactly("a", "it's", "b");
        assertThat(ShellWords.split("x ''")).containsExactly("x", "");
        assertThat(ShellWords.split("echo $(rm -rf /) `id` | cat > f")).containsExactly(
                "echo", "$(rm", "-rf", "/)", "`id`", "|", "cat", ">", "f");
    }

    @Test
    void unbalancedQuotesAreErrors() {
        assertThatThrownBy(() -> ShellWords.split("pytest 'oops")).hasMessageContaining("unterminated single quote");
        assertThatThrownBy(() -> ShellWords.split("pytest \"oops")).hasMessageContaining("unterminated double quote");
        assertThatThrownBy(() -> ShellWords.split("pytest oops\\")).hasMessageContaining("backslash");
    }

    @Test
    void quotesOnlyWhatNeedsIt() {
        assertThat(ShellWords.quote("tests/test_a.py::test_x")).isEqualTo("tests/test_a.py::test_x");
        assertThat(ShellWords.quote("t.py::test[with space]")).isEqualTo("'t.py::test[with space]'");
        assertThat(ShellWords.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellWords.quote("")).isEqualTo("''");
    }

    @Property
    void quoteThenSplitGivesTheWordsBack(@ForAll @Size(min = 1, max = 6) List<@StringLength(max = 12) String> words)
            throws Exception {
        assertThat(ShellWords.split(ShellWords.join(words))).isEqualTo(words);
    }
}
