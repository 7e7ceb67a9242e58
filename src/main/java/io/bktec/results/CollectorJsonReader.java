package io.bktec.results;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads buildkite-test-collector's {@code --json} output: one top-level array of test records. Keys are matched
 * case-insensitively (as Go's decoder does); unknown keys are skipped without being built into trees.
 */
public final class CollectorJsonReader implements ResultReader {
    static final String COLLECTION_ERROR_TAG = "test.pytest_collection_error";
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    @Override
    public void prepare() {
        // From bytes, as a file is read (a String would take Jackson's char-based parser instead).
        byte[] document = "[{\"name\": \"\", \"duration\": 0.0}]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (JsonParser parser = FACTORY.createParser(document)) {
            while (parser.nextToken() != null) {
                parser.getText();
            }
        } catch (IOException | RuntimeException e) {
            // only a warm-up: the real read reports any problem
        }
    }

    @Override
    public void read(Path file, Consumer<TestResult> sink) throws IOException, ResultFormatException {
        try (JsonParser parser = FACTORY.createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ResultFormatException(file + " is empty");
            }
            if (first != JsonToken.START_ARRAY) {
                throw new ResultFormatException(file + " is not a JSON array of test results");
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new ResultFormatException(file + " ends before its array is closed (truncated?)");
                }
                if (token != JsonToken.START_OBJECT) {
                    throw new ResultFormatException(file + ": expected a test record object, found " + token);
                }
                sink.accept(record(parser));
            }
        } catch (JsonProcessingException e) {
            throw new ResultFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static TestResult record(JsonParser parser) throws IOException, ResultFormatException {
        String scope = "";
        String name = "";
        String fileName = "";
        String result = null;
        String failureReason = "";
        double duration = 0;
        boolean collectionError = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName().toLowerCase(Locale.ROOT);
            JsonToken value = parser.nextToken();
            switch (field) {
                case "scope" -> scope = text(parser, value);
                case "name" -> name = text(parser, value);
                case "file_name" -> fileName = text(parser, value);
                case "result" -> result = value == JsonToken.VALUE_NULL ? null : text(parser, value);
                case "failure_reason" -> failureReason = text(parser, value);
                case "history" -> duration = historyDuration(parser, value);
                case "tags" -> collectionError = collectionErrorTag(parser, value);
                default -> parser.skipChildren();
            }
        }
        String nodeId = NodeIds.fromCollector(scope, name, fileName);
        return new TestResult(scope, name, nodeId, TestStatus.fromCollector(result), duration, failureReason,
                collectionError);
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return "";
        }
        if (value.isScalarValue()) {
            return parser.getText();
        }
        parser.skipChildren();
        return "";
    }

    private static double historyDuration(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return 0;
        }
        double duration = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName().toLowerCase(Locale.ROOT);
            JsonToken v = parser.nextToken();
            if (field.equals("duration") && v.isNumeric()) {
                duration = parser.getDoubleValue();
            } else {
                parser.skipChildren();
            }
        }
        return duration;
    }

    private static boolean collectionErrorTag(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return false;
        }
        boolean collectionError = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken v = parser.nextToken();
            // bktec rejects the whole file for a non-string tag; we read the text of scalars and skip the rest.
            String text = text(parser, v);
            if (key.equals(COLLECTION_ERROR_TAG) && text.equalsIgnoreCase("true")) {
                collectionError = true;
            }
        }
        return collectionError;
    }
}
