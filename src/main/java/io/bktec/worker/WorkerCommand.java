package io.bktec.worker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The lines bktec writes to a worker's standard input (specified in src/main/python/bktec_pytest/protocol.py). */
public final class WorkerCommand {
    private static final JsonFactory JSON = new JsonFactory();

    private WorkerCommand() {
    }

    /** Run this item's tests; the worker answers with a "done" event naming {@code id}. */
    public static String run(long id, WorkItem item) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("id", id);
            json.writeArrayFieldStart(item.wholeFile() ? "files" : "ids");
            for (String argument : item.arguments()) {
                json.writeString(argument);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** End the session normally: session fixtures torn down, result files written. */
    public static String stop() {
        return "{\"stop\":true}";
    }
}
