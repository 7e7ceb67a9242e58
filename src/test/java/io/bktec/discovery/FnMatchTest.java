package io.bktec.discovery;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FnMatchTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            ".*|.venv|true", ".*|.|true", ".*|venv|false",
            "*.egg|pkg.egg|true", "*.egg|pkg.egg-info|false",
            "{arch}|{arch}|true", "{arch}|arch|false",
            "test_*.py|test_a.py|true", "test_*.py|test_.py|true", "test_*.py|a_test.py|false",
            "*/deep/*|/r/tests/deep/x|true", "*/deep/*|/r/tests/deeper/x|false",
            "[!a]x|bx|true", "[!a]x|ax|false", "[a-c]|b|true", "[a-c]|-|false", "[]]|]|true",
            "[abc|[abc|true", "a?c|abc|true", "a?c|ac|false", "a.b|axb|false",
            "CVS|cvs|false", "*|a/b|true"})
    void matchesAsPythonsFnmatchOnPosix(String pattern, String name, boolean matches) {
        assertThat(FnMatch.compile(pattern).matcher(name).matches()).isEqualTo(matches);
    }
}
