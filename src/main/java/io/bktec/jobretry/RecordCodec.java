package io.bktec.jobretry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A failure record as one build meta-data value: "bktec1:" and the base64 of gzipped JSON. Meta-data values are text
 * of at most 100 KB, so a list that would not fit is stored as its count alone. Pure.
 */
public final class RecordCodec {
    /** Buildkite's limit on one meta-data value. */
    public static final int META_DATA_LIMIT_BYTES = 100 * 1024;
    private static final String PREFIX = "bktec1:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordCodec() {
    }

    /**
     * A record as stored.
     *
     * @param stored what the value holds: the record, or its count alone
     */
    public record Encoded(FailureRecord stored, String value) {
    }

    /** The value to store: the record, or its count alone when the list would be over {@code limitBytes}. */
    public static Encoded encode(FailureRecord record, int limitBytes) {
        String value = PREFIX + Base64.getEncoder().encodeToString(gzip(json(record).toString()));
        if (value.length() <= limitBytes || record instanceof FailureRecord.TooMany) {
            return new Encoded(record, value);
        }
        return encode(new FailureRecord.TooMany(record.node(), record.shareSize(), record.count()), limitBytes);
    }

    /** The record a stored value holds; empty when it is not one bktec wrote (corrupted, cut, another version). */
    public static Optional<FailureRecord> decode(String value) {
        String text = value.strip();
        if (!text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            byte[] packed = Base64.getDecoder().decode(text.substring(PREFIX.length()));
            JsonNode root = JSON.readTree(gunzip(packed));
            return Optional.ofNullable(record(root));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode json(FailureRecord record) {
        ObjectNode root = JSON.createObjectNode();
        root.put("step", record.node().step());
        root.put("index", record.node().index());
        root.put("parallelism", record.node().parallelism());
        root.put("plan", record.node().planDigest());
        root.put("share", record.shareSize());
        root.put("count", record.count());
        if (record instanceof FailureRecord.Listed listed) {
            ArrayNode tests = root.putArray("tests");
            listed.tests().forEach(tests::add);
        }
        return root;
    }

    private static FailureRecord record(JsonNode root) {
        if (!root.path("step").isTextual() || !root.path("index").isInt() || !root.path("parallelism").isInt()
                || !root.path("plan").isTextual() || !root.path("share").isInt() || !root.path("count").isInt()) {
            return null;
        }
        NodeShare node = new NodeShare(root.get("step").asText(), root.get("index").asInt(),
                root.get("parallelism").asInt(), root.get("plan").asText());
        int share = root.get("share").asInt();
        JsonNode tests = root.path("tests");
        if (tests.isMissingNode()) {
            return new FailureRecord.TooMany(node, share, root.get("count").asInt());
        }
        if (!tests.isArray() || tests.size() != root.get("count").asInt() || tests.isEmpty()) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode test : tests) {
            if (!test.isTextual() || test.asText().isEmpty()) {
                return null;
            }
            ids.add(test.asText());
        }
        return new FailureRecord.Listed(node, share, ids);
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    private static byte[] gunzip(byte[] packed) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(packed))) {
            return in.readAllBytes();
        }
    }
}
