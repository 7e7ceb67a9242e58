package io.bktec.stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a results stream as bktec's pytest plugin does (the protocol is in src/main/python/bktec_pytest/protocol.py): one JSON object per line,
 * appended. For fakes of pytest in the pipeline tests; the plugin itself is tested against real pytest.
 */
public final class FakeStreamWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public FakeStreamWriter(Path file) {
        this.file = file;
    }

    /** The stream file a process was given in its environment, if it was given one. */
    public static Optional<FakeStreamWriter> from(Map<String, String> environment) {
        String path = environment.get(PytestPlugin.STREAM_VARIABLE);
        return path == null ? Optional.empty() : Optional.of(new FakeStreamWriter(Path.of(path)));
    }

    public FakeStreamWriter sessionStart(Path rootdir) {
        return write(Map.of("event", "session_start", "pytest", "9.0.3", "python", "3.11.7", "pid", 4242,
                "rootdir", rootdir.toString(), "invocation_dir", rootdir.toString(), "plugins", List.of()));
    }

    public FakeStreamWriter collected(List<String> nodeIds) {
        return write(Map.of("event", "collected", "nodeids", nodeIds));
    }

    public FakeStreamWriter collectionError(String nodeId, String reason) {
        return write(Map.of("event", "collection_error", "nodeid", nodeId, "reason", reason));
    }

    public FakeStreamWriter start(String nodeId) {
        return write(Map.of("event", "start", "nodeid", nodeId));
    }

    public FakeStreamWriter report(String nodeId, String when, String outcome, String reason) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", "report");
        event.put("nodeid", nodeId);
        event.put("when", when);
        event.put("outcome", outcome);
        event.put("duration", 0.01);
        if (!reason.isEmpty()) {
            event.put("reason", reason);
        }
        return write(event);
    }

    /** A whole test: start, setup, call and teardown with these outcomes. */
    public FakeStreamWriter test(String nodeId, String call, String teardown) {
        return start(nodeId).report(nodeId, "setup", "passed", "")
                .report(nodeId, "call", call, call.equals("failed") ? "AssertionError: boom" : "")
                .report(nodeId, "teardown", teardown, teardown.equals("failed") ? "RuntimeError: cleanup" : "");
    }

    public FakeStreamWriter sessionEnd(int exitStatus) {
        return write(Map.of("event", "session_end", "exitstatus", exitStatus));
    }

    /** A session that stopped early, with pytest's reason ("stopping after 1 failures", "pytest.exit: …"). */
    public FakeStreamWriter sessionEnd(int exitStatus, String stopped) {
        return write(Map.of("event", "session_end", "exitstatus", exitStatus, "stopped", stopped));
    }

    /** Raw text, for lines that are not events. */
    public FakeStreamWriter raw(String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FakeStreamWriter write(Map<String, ?> event) {
        try {
            return raw(JSON.writeValueAsString(event) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
