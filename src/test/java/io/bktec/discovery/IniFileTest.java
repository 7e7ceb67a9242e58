package io.bktec.discovery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IniFileTest {
    @Test
    void readsSectionsValuesContinuationsAndCommentsAsIniconfigDoes() throws Exception {
        IniFile ini = IniFile.parse("""
                ; leading comment
                [pytest]
                addopts = -ra  # not a comment for pytest
                norecursedirs =
                    .git
                    # a comment line inside
                    build
                python_files: test_*.py
                url = http://x:8080/y

                [tool:pytest]   # section comment
                testpaths = a
                """);
        assertThat(ini.section("pytest")).containsEntry("addopts", "-ra  # not a comment for pytest")
                .containsEntry("norecursedirs", ".git\nbuild")
                .containsEntry("python_files", "test_*.py")
                .containsEntry("url", "http://x:8080/y");
        assertThat(ini.hasSection("tool:pytest")).isTrue();
        assertThat(ini.section("tool:pytest")).containsEntry("testpaths", "a");
        assertThat(ini.section("missing")).isEmpty();
    }

    @Test
    void linesPytestRejectsAreRejectedWithTheirNumber() {
        assertThatThrownBy(() -> IniFile.parse("key = value\n")).hasMessageContaining("line 1: no section header");
        assertThatThrownBy(() -> IniFile.parse("[a]\n  continued\n")).hasMessageContaining("line 2: unexpected value continuation");
        assertThatThrownBy(() -> IniFile.parse("[a]\nx = 1\nx = 2\n")).hasMessageContaining("line 3: duplicate name 'x'");
        assertThatThrownBy(() -> IniFile.parse("[a]\n[a]\n")).hasMessageContaining("duplicate section 'a'");
    }
}
