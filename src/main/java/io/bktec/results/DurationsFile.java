package io.bktec.results;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/** pytest-split's {@code .test_durations}: one JSON object, node id → seconds. Read and written by streaming. */
public final class DurationsFile {
    /** The file pytest-split and bktec use when none is named. */
    public static final String DEFAULT_NAME = ".test_durations";
    private static final JsonFactory FACTORY = new JsonFactory();

    private DurationsFile() {
    }

    public static Map<String, Double> read(Path file) throws IOException, ResultFormatException {
        Map<String, Double> durations = new TreeMap<>();
        try (JsonParser parser = FACTORY.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ResultFormatException(file + " is not a JSON object of test durations");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String nodeId = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isNumeric()) {
                    durations.put(nodeId, parser.getDoubleValue());
                } else {
                    parser.skipChildren(); // a value that is not a number says nothing about time
                }
            }
        } catch (JsonProcessingException e) {
            throw new ResultFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return durations;
    }

    /** Writes atomically (temp file, then rename), keys sorted, as pytest-split does. */
    public static void write(Path file, Map<String, Double> durations) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path tmp = Files.createTempFile(absolute.getParent(), ".test_durations", ".tmp");
        try (JsonGenerator json = FACTORY.createGenerator(tmp.toFile(), com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            for (Map.Entry<String, Double> e : new TreeMap<>(durations).entrySet()) {
                json.writeNumberField(e.getKey(), Math.round(e.getValue() * 1e6) / 1e6);
            }
            json.writeEndObject();
        }
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
