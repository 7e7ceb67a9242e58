package io.bktec.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one line of the results stream. Unknown events and unknown fields are skipped (a newer plugin may add
 * some); a line that is not a JSON object gives nothing.
 */
public final class StreamEventParser {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(20)
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private StreamEventParser() {
    }

    public static Optional<StreamEvent> parse(String line) {
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
            return fields.event();
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
        String stopped = "";
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
                case "stopped" -> stopped = text(value, parser);
                case "nodeids" -> nodeIds = strings(value, parser);
                case "plugins" -> plugins = strings(value, parser);
                default -> parser.skipChildren();
            }
        }

        Optional<StreamEvent> event() {
            return Optional.ofNullable(switch (event) {
                case "session_start" -> new StreamEvent.SessionStart(pytest, python, pid, rootdir, invocationDir, plugins);
                case "collected" -> new StreamEvent.Collected(nodeIds);
                case "collection_error" -> new StreamEvent.CollectionError(nodeId, reason);
                case "collection_skip" -> new StreamEvent.CollectionSkip(nodeId, reason);
                case "start" -> new StreamEvent.TestStart(nodeId);
                case "report" -> new StreamEvent.PhaseReport(nodeId, when, outcome, duration, reason, xfail, xpass);
                case "session_end" -> new StreamEvent.SessionEnd(exitStatus, stopped);
                case "plugin_error" -> new StreamEvent.PluginError(message);
                case "worker_ready" -> new StreamEvent.WorkerReady();
                case "done" -> new StreamEvent.WorkerDone(command);
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
