package io.bktec.runner;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandTemplateTest {
    @Test
    void placeholdersAreReplacedInPlace() throws Exception {
        CommandTemplate t = CommandTemplate.parse("pytest {{testExamples}} --full-trace --json={{resultPath}}");
        assertThat(t.expand(List.of("failed_test.py", "test_sample.py"), "result.json")).containsExactly(
                "pytest", "failed_test.py", "test_sample.py", "--full-trace", "--json=result.json");
    }

    @Test
    void testsAreAppendedWithoutThePlaceholder() throws Exception {
        assertThat(CommandTemplate.parse("pytest --full-trace").expand(List.of("a.py", "b.py"), "r"))
                .containsExactly("pytest", "--full-trace", "a.py", "b.py");
    }

    @Test
    void awkwardIdsStayOneArgumentAndAreNeverInterpreted() throws Exception {
        List<String> ids = List.of("foo/bar.py::TestFoo::test_foo[min-...-only sum or avg are supported-2]",
                "t.py::test[it's]", "t.py::test[$(touch /tmp/pwned)]", "t.py::test[`id`]", "t.py::test[a\nb]",
                "t.py::test[\\xfcn\\xef]", "t.py::test[\"q\"]");
        assertThat(CommandTemplate.parse("pytest {{testExamples}}").expand(ids, "r")).containsExactlyElementsOf(
                concat(List.of("pytest"), ids));
    }

    @Test
    void resultPathWithSpacesStaysOneArgumentAndEveryOccurrenceIsReplaced() throws Exception {
        CommandTemplate t = CommandTemplate.parse("pytest --junit-xml={{resultPath}} --log={{resultPath}}.log");
        assertThat(t.expand(List.of("a.py"), "/tmp/my dir/r.xml")).containsExactly(
                "pytest", "--junit-xml=/tmp/my dir/r.xml", "--log=/tmp/my dir/r.xml.log", "a.py");
    }

    @Test
    void placeholderInsideAWordAttachesToTheFirstAndLastTest() throws Exception {
        assertThat(CommandTemplate.parse("run --tests={{testExamples}},end").expand(List.of("a", "b", "c"), "r"))
                .containsExactly("run", "--tests=a", "b", "c,end");
        assertThat(CommandTemplate.parse("run --tests={{testExamples}}").expand(List.of(), "r"))
                .containsExactly("run", "--tests=");
    }

    @Test
    void badTemplatesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> CommandTemplate.parse("  ")).hasMessage("the test command is empty");
        assertThatThrownBy(() -> CommandTemplate.parse("pytest 'unbalanced")).hasMessageContaining("unterminated single quote");
        assertThatThrownBy(() -> CommandTemplate.parse("pytest {{testExamples}} {{testExamples}}"))
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> CommandTemplate.parse("{{testExamples}} pytest")).hasMessageContaining("must start with a program");
    }

    @Property
    void anyTestIdSurvivesExpansionUnchanged(@ForAll @Size(max = 5) List<@StringLength(min = 1, max = 20) String> ids)
            throws Exception {
        List<String> argv = CommandTemplate.parse("python -m pytest -q {{testExamples}} --junit-xml={{resultPath}}")
                .expand(ids, "out.xml");
        List<String> expected = new ArrayList<>(List.of("python", "-m", "pytest", "-q"));
        expected.addAll(ids);
        expected.add("--junit-xml=out.xml");
        assertThat(argv).isEqualTo(expected);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
