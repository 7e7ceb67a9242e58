package io.bktec.stream;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StreamEventParserTest {
    @Test
    void readsEveryEventThePluginWrites() {
        assertThat(StreamEventParser.parse("{\"event\":\"session_start\",\"pytest\":\"8.4.2\",\"python\":\"3.8.18\","
                + "\"pid\":12,\"rootdir\":\"/r\",\"invocation_dir\":\"/r/sub\",\"plugins\":[\"xdist-3.8.0\"]}"))
                .contains(new StreamEvent.SessionStart("8.4.2", "3.8.18", 12, "/r", "/r/sub", List.of("xdist-3.8.0")));
        assertThat(StreamEventParser.parse("{\"event\":\"collected\",\"nodeids\":[\"a.py::t\",\"a.py::u[x]\"]}"))
                .contains(new StreamEvent.Collected(List.of("a.py::t", "a.py::u[x]")));
        assertThat(StreamEventParser.parse("{\"event\":\"collection_error\",\"nodeid\":\"a.py\",\"reason\":\"E ImportError\"}"))
                .contains(new StreamEvent.CollectionError("a.py", "E ImportError"));
        assertThat(StreamEventParser.parse("{\"event\":\"collection_skip\",\"nodeid\":\"b.py\",\"reason\":\"Skipped: win\"}"))
                .contains(new StreamEvent.CollectionSkip("b.py", "Skipped: win"));
        assertThat(StreamEventParser.parse("{\"event\":\"start\",\"nodeid\":\"a.py::t\"}"))
                .contains(new StreamEvent.TestStart("a.py::t"));
        assertThat(StreamEventParser.parse("{\"event\":\"report\",\"nodeid\":\"a.py::t\",\"when\":\"call\","
                + "\"outcome\":\"skipped\",\"duration\":0.25,\"reason\":\"flaky\",\"xfail\":\"bug 12\"}"))
                .contains(new StreamEvent.PhaseReport("a.py::t", "call", "skipped", 0.25, "flaky", "bug 12", false));
        assertThat(StreamEventParser.parse("{\"event\":\"report\",\"nodeid\":\"a.py::t\",\"when\":\"call\","
                + "\"outcome\":\"passed\",\"duration\":1e-05,\"xfail\":\"\",\"xpass\":true}"))
                .contains(new StreamEvent.PhaseReport("a.py::t", "call", "passed", 1e-05, "", "", true));
        assertThat(StreamEventParser.parse("{\"event\":\"session_end\",\"exitstatus\":1}"))
                .contains(new StreamEvent.SessionEnd(1));
        assertThat(StreamEventParser.parse("{\"event\":\"session_end\",\"exitstatus\":0,\"stopped\":\"pytest.exit: x\"}"))
                .contains(new StreamEvent.SessionEnd(0, "pytest.exit: x"));
        assertThat(StreamEventParser.parse("{\"event\":\"plugin_error\",\"message\":\"KeyError: x\"}"))
                .contains(new StreamEvent.PluginError("KeyError: x"));
    }

    @Test
    void whatTheWatchNeedsIsRead() {
        assertThat(StreamEventParser.parse("{\"event\":\"collected\",\"nodeids\":[\"a.py::t\"],\"timeouts\":"
                + "{\"a.py::t\":2.5,\"a.py::u\":0,\"a.py::v\":\"x\"}}"))
                .contains(new StreamEvent.Collected(List.of("a.py::t"), java.util.Map.of("a.py::t", 2.5, "a.py::u", 0.0)));
        assertThat(StreamEventParser.parse("{\"event\":\"collecting\",\"nodeid\":\"tests/a.py\"}"))
                .contains(new StreamEvent.Collecting("tests/a.py"));
        assertThat(StreamEventParser.parse("{\"event\":\"stacks\",\"signal\":40}")).contains(new StreamEvent.Stacks(40));
        assertThat(StreamEventParser.parse("{\"event\":\"stacks\"}")).isEmpty();
    }

    @Test
    void aCoverageEventKeepsWhatTheCombinationNeedsAndTheLineAsWritten() {
        String line = "{\"event\":\"coverage\",\"measured_by\":\"pytest-cov\",\"executable\":\"/v/bin/python\","
                + "\"directory\":\"/p\",\"config_file\":\".coveragerc\",\"source\":[\"pkg\"],\"branch\":null,"
                + "\"reports\":{\"term-missing\":null,\"xml\":\"cov.xml\"},\"fail_under\":87.5,\"precision\":2,"
                + "\"append\":false,\"no_cov_on_fail\":true}";
        assertThat(StreamEventParser.parse(line)).contains(new StreamEvent.Coverage(new io.bktec.coverage.CoverageSetup(
                "pytest-cov", "/v/bin/python", "/p", java.util.OptionalDouble.of(87.5), true, line)));
        String run = "{\"event\":\"coverage\",\"measured_by\":\"coverage\",\"executable\":\"/v/bin/python\","
                + "\"directory\":\"/p\",\"config_file\":true}";
        assertThat(StreamEventParser.parse(run)).contains(new StreamEvent.Coverage(new io.bktec.coverage.CoverageSetup(
                "coverage", "/v/bin/python", "/p", java.util.OptionalDouble.empty(), false, run)));
    }

    @Test
    void unicodeEscapesAndUnknownFieldsAreReadAsAPluginWritesThem() {
        // the plugin writes ASCII only: non-ASCII node ids arrive as \\u escapes
        assertThat(StreamEventParser.parse("{\"event\":\"start\",\"extra\":{\"deep\":[1,{\"x\":2}]},"
                + "\"nodeid\":\"t.py::test_\\u00fc[\\\\xfc]\"}"))
                .contains(new StreamEvent.TestStart("t.py::test_ü[\\xfc]"));
    }

    @Test
    void linesThatAreNotEventsGiveNothing() {
        assertThat(StreamEventParser.parse("")).isEqualTo(Optional.empty());
        assertThat(StreamEventParser.parse("not json")).isEmpty();
        assertThat(StreamEventParser.parse("[1,2]")).isEmpty();
        assertThat(StreamEventParser.parse("{\"event\":\"from_the_future\",\"nodeid\":\"a\"}")).isEmpty();
        assertThat(StreamEventParser.parse("{\"event\":\"start\",\"nodeid\":\"a.py::t\"")).isEmpty(); // cut short
    }

    @Test
    void theCommonLinesTakeTheShortPathAndAgreeWithJackson() {
        String start = "{\"event\":\"start\",\"nodeid\":\"tests/test_a.py::test_x[1-2]\"}";
        String passed = "{\"event\":\"passed\",\"nodeid\":\"tests/test_a.py::test_x\",\"duration\":0.001234}";
        assertThat(StreamEventParser.common(start)).isEqualTo(new StreamEvent.TestStart("tests/test_a.py::test_x[1-2]"));
        assertThat(StreamEventParser.common(passed)).isEqualTo(new StreamEvent.TestPassed("tests/test_a.py::test_x", 0.001234));
        // escapes, other field orders and odd numbers are left to Jackson, which reads them all the same
        String escaped = "{\"event\":\"start\",\"nodeid\":\"t.py::test_\\u00e9\\\"q\\\"\"}";
        assertThat(StreamEventParser.common(escaped)).isNull();
        assertThat(StreamEventParser.parse(escaped)).contains(new StreamEvent.TestStart("t.py::test_\u00e9\"q\""));
        String reordered = "{\"nodeid\":\"t.py::x\",\"event\":\"passed\",\"duration\":1e-05}";
        assertThat(StreamEventParser.common(reordered)).isNull();
        assertThat(StreamEventParser.parse(reordered)).contains(new StreamEvent.TestPassed("t.py::x", 1e-05));
        String exponent = "{\"event\":\"passed\",\"nodeid\":\"t.py::x\",\"duration\":1e-05}";
        assertThat(StreamEventParser.common(exponent)).isNull();
        assertThat(StreamEventParser.parse(exponent)).contains(new StreamEvent.TestPassed("t.py::x", 1e-05));
    }
}
