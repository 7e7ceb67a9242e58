package io.bktec.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.bktec.coverage.CoverageSetup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads one line of the results stream. Unknown events and unknown fields are skipped (a newer plugin may add
 * some); a line that is not a JSON object gives nothing. The two lines every test writes, its start and (usually)
 * "passed", are read by a short path when they are exactly as the plugin writes them (no escapes); any other line,
 * or one the short path is unsure of, goes through Jackson.
 */
public final class StreamEventParser {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(20)
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private StreamEventParser() {
    }

    private static final String START = "{\"event\":\"start\",\"nodeid\":\"";
    private static final String PASSED = "{\"event\":\"passed\",\"nodeid\":\"";
    private static final String DURATION = "\",\"duration\":";

    public static Optional<StreamEvent> parse(String line) {
        StreamEvent common = common(line);
        return common != null ? Optional.of(common) : parseJson(line);
    }

    /** A start or passed line as the plugin writes it, or null when the line is anything else. */
    static StreamEvent common(String line) {
        if (line.startsWith(START) && line.endsWith("\"}")) {
            String nodeId = line.substring(START.length(), line.length() - 2);
            return plain(nodeId) ? new StreamEvent.TestStart(nodeId) : null;
        }
        if (line.startsWith(PASSED) && line.endsWith("}")) {
            int end = line.indexOf(DURATION, PASSED.length());
            if (end < 0) {
                return null;
            }
            String nodeId = line.substring(PASSED.length(), end);
            String number = line.substring(end + DURATION.length(), line.length() - 1);
            if (!plain(nodeId) || number.isEmpty() || !number.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')) {
                return null;
            }
            return new StreamEvent.TestPassed(nodeId, Double.parseDouble(number));
        }
        return null;
    }

    /** A JSON string's content that needs no unescaping (the plugin writes ASCII, escaping everything else). */
    private static boolean plain(String text) {
        return text.indexOf('\\') < 0 && text.indexOf('"') < 0;
    }

    private static Optional<StreamEvent> parseJson(String line) {
        try (JsonParser parser = FACTORY.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Fields fields = new Fields();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                fields.read(name, value, parser);
            }
            return fields.event(line);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The fields any event may carry; which of them count depends on the event's name. */
    private static final class Fields {
        String event = "";
        String nodeId = "";
        String when = "";
        String outcome = "";
        String reason = "";
        String xfail;
        boolean xpass;
        double duration;
        int exitStatus;
        long pid;
        long command = -1;
        String pytest = "";
        String python = "";
        String rootdir = "";
        String invocationDir = "";
        String message = "";
        String executable = "";
        String stopped = "";
        String measuredBy = "";
        String directory = "";
        OptionalDouble failUnder = OptionalDouble.empty();
        boolean noCovOnFail;
        int signal;
        java.util.Map<String, Double> timeouts = java.util.Map.of();
        List<String> nodeIds = List.of();
        List<String> plugins = List.of();

        void read(String name, JsonToken value, JsonParser parser) throws IOException {
            switch (name) {
                case "event" -> event = text(value, parser);
                case "nodeid" -> nodeId = text(value, parser);
                case "when" -> when = text(value, parser);
                case "outcome" -> outcome = text(value, parser);
                case "reason" -> reason = text(value, parser);
                case "xfail" -> xfail = text(value, parser);
                case "xpass" -> xpass = value == JsonToken.VALUE_TRUE;
                case "duration" -> duration = value.isNumeric() ? parser.getDoubleValue() : 0;
                case "exitstatus" -> exitStatus = value.isNumeric() ? parser.getIntValue() : -1;
                case "pid" -> pid = value.isNumeric() ? parser.getLongValue() : 0;
                case "command" -> command = value.isNumeric() ? parser.getLongValue() : -1;
                case "pytest" -> pytest = text(value, parser);
                case "python" -> python = text(value, parser);
                case "rootdir" -> rootdir = text(value, parser);
                case "invocation_dir" -> invocationDir = text(value, parser);
                case "message" -> message = text(value, parser);
                case "executable" -> executable = text(value, parser);
                case "stopped" -> stopped = text(value, parser);
                case "measured_by" -> measuredBy = text(value, parser);
                case "directory" -> directory = text(value, parser);
                case "fail_under" -> failUnder = value.isNumeric() ? OptionalDouble.of(parser.getDoubleValue())
                        : OptionalDouble.empty();
                case "no_cov_on_fail" -> noCovOnFail = value == JsonToken.VALUE_TRUE;
                case "nodeids" -> nodeIds = strings(value, parser);
                case "signal" -> signal = value.isNumeric() ? parser.getIntValue() : 0;
                case "timeouts" -> timeouts = numbers(value, parser);
                case "plugins" -> plugins = strings(value, parser);
                default -> parser.skipChildren();
            }
        }

        Optional<StreamEvent> event(String line) {
            return Optional.ofNullable(switch (event) {
                case "session_start" -> new StreamEvent.SessionStart(pytest, python, pid, rootdir, invocationDir, plugins);
                case "collected" -> new StreamEvent.Collected(nodeIds, timeouts);
                case "collecting" -> new StreamEvent.Collecting(nodeId);
                case "stacks" -> signal > 0 ? new StreamEvent.Stacks(signal) : null;
                case "collection_error" -> new StreamEvent.CollectionError(nodeId, reason);
                case "collection_skip" -> new StreamEvent.CollectionSkip(nodeId, reason);
                case "start" -> new StreamEvent.TestStart(nodeId);
                case "report" -> new StreamEvent.PhaseReport(nodeId, when, outcome, duration, reason, xfail, xpass);
                case "passed" -> new StreamEvent.TestPassed(nodeId, duration);
                case "session_end" -> new StreamEvent.SessionEnd(exitStatus, stopped);
                case "plugin_error" -> new StreamEvent.PluginError(message);
                case "worker_ready" -> new StreamEvent.WorkerReady();
                case "done" -> new StreamEvent.WorkerDone(command);
                case "fork_server_ready" -> new StreamEvent.ForkServerReady(executable);
                case "fork_server_unavailable" -> new StreamEvent.ForkServerUnavailable(reason);
                case "coverage" -> new StreamEvent.Coverage(new CoverageSetup(measuredBy, executable, directory,
                        failUnder, noCovOnFail, line));
                default -> null;
            });
        }

        private static String text(JsonToken value, JsonParser parser) throws IOException {
            if (value.isScalarValue()) {
                return value == JsonToken.VALUE_NULL ? "" : parser.getText();
            }
            parser.skipChildren();
            return "";
        }

        /** An object of numbers, {name: seconds}; other values are left out. */
        private static java.util.Map<String, Double> numbers(JsonToken value, JsonParser parser) throws IOException {
            if (value != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return java.util.Map.of();
            }
            java.util.Map<String, Double> numbers = new java.util.HashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken item = parser.nextToken();
                if (item.isNumeric()) {
                    numbers.put(name, parser.getDoubleValue());
                } else {
                    parser.skipChildren();
                }
            }
            return numbers;
        }

        private static List<String> strings(JsonToken value, JsonParser parser) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                parser.skipChildren();
                return List.of();
            }
            List<String> items = new ArrayList<>();
            JsonToken item;
            while ((item = parser.nextToken()) != JsonToken.END_ARRAY && item != null) {
                if (item == JsonToken.VALUE_STRING) {
                    items.add(parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            return items;
        }
    }
}
