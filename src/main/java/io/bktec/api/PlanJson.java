package io.bktec.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bktec.plan.Task;
import io.bktec.plan.TestCase;
import io.bktec.plan.TestPlan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Plan JSON both ways: request bodies out, plan responses in (unknown keys ignored, wrong shapes reported). */
public final class PlanJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private PlanJson() {
    }

    public static byte[] request(PlanRequest request) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("runner", request.runner());
        root.put("identifier", request.identifier());
        root.put("parallelism", request.parallelism());
        if (request.maxParallelism() > 0) {
            root.put("max_parallelism", request.maxParallelism());
        }
        if (request.targetTimeSeconds() > 0) {
            root.put("target_time", request.targetTimeSeconds());
        }
        root.put("branch", request.branch());
        if (!request.locationPrefix().isEmpty()) {
            root.put("location_prefix", request.locationPrefix());
        }
        ObjectNode tests = root.putObject("tests");
        if (!request.selectors().isEmpty()) {
            ArrayNode selectors = tests.putArray("selectors");
            request.selectors().forEach(s -> selectors.addObject().put("value", s));
        }
        if (!request.examples().isEmpty()) {
            ArrayNode examples = tests.putArray("examples");
            for (TestCase example : request.examples()) {
                examples.addObject().put("format", "example").put("identifier", example.identifier())
                        .put("name", example.name()).put("path", example.path()).put("scope", example.scope());
            }
        }
        return bytes(root);
    }

    /** A plan as indented JSON in the Test Engine's response shape, for `bktec plan --plan-out`. */
    public static String write(TestPlan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("identifier", plan.identifier());
        root.put("parallelism", plan.parallelism());
        ObjectNode tasks = root.putObject("tasks");
        plan.tasks().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparingInt(PlanJson::nodeNumber)))
                .forEach(e -> {
                    ObjectNode task = tasks.putObject(e.getKey());
                    task.put("node_number", nodeNumber(e.getKey()));
                    ArrayNode tests = task.putArray("tests");
                    e.getValue().tests().forEach(t -> testCase(tests.addObject(), t));
                });
        ArrayNode muted = root.putArray("muted_tests");
        plan.mutedTests().stream().sorted().forEach(key -> {
            int slash = key.lastIndexOf('/');
            muted.addObject().put("scope", key.substring(0, Math.max(slash, 0))).put("name", key.substring(slash + 1));
        });
        ArrayNode skipped = root.putArray("skipped_tests");
        plan.skippedTests().forEach(t -> testCase(skipped.addObject(), t));
        root.put("local", plan.local());
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int nodeNumber(String key) {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static void testCase(ObjectNode node, TestCase t) {
        node.put("path", t.path()).put("format", t.format());
        if (!t.identifier().isEmpty()) {
            node.put("identifier", t.identifier());
        }
        if (!t.scope().isEmpty()) {
            node.put("scope", t.scope());
        }
        if (!t.name().isEmpty()) {
            node.put("name", t.name());
        }
        if (!t.value().isEmpty()) {
            node.put("value", t.value());
        }
        if (t.estimatedDurationMs() > 0) {
            node.put("estimated_duration", t.estimatedDurationMs());
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode tree(ApiResponse response, String what) {
        try {
            JsonNode node = MAPPER.readTree(response.body());
            if (node == null || node.isMissingNode()) {
                throw unreadable(what, "the body is empty");
            }
            return node;
        } catch (IOException e) {
            throw unreadable(what, "the body is not JSON (" + RetryingCaller.abbreviate(response.bodyText()) + ")");
        }
    }

    static ApiException unreadable(String what, String why) {
        return new ApiException(ApiException.Kind.UNREADABLE, 200, what + ": " + why);
    }

    /** A plan response; a plan without tasks is returned with an empty task map (the caller decides). */
    public static TestPlan plan(ApiResponse response, String what) {
        JsonNode root = tree(response, what);
        if (!root.isObject()) {
            throw unreadable(what, "expected a JSON object");
        }
        JsonNode tasksNode = root.path("tasks");
        Map<String, Task> tasks = new LinkedHashMap<>();
        if (!tasksNode.isMissingNode() && !tasksNode.isNull()) {
            if (!tasksNode.isObject()) {
                throw unreadable(what, "\"tasks\" is not an object");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = tasksNode.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> task = fields.next();
                tasks.put(task.getKey(), new Task(testCases(task.getValue().path("tests"), what)));
            }
        }
        Set<String> muted = new LinkedHashSet<>();
        for (TestCase t : testCases(root.path("muted_tests"), what)) {
            muted.add(t.scope() + "/" + t.name());
        }
        return new TestPlan(text(root, "identifier"), root.path("parallelism").asInt(0), tasks, muted,
                testCases(root.path("skipped_tests"), what), false);
    }

    private static List<TestCase> testCases(JsonNode array, String what) {
        if (array.isMissingNode() || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw unreadable(what, "a test list is not an array");
        }
        List<TestCase> cases = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            if (!node.isObject()) {
                throw unreadable(what, "a test case is not an object");
            }
            cases.add(new TestCase(text(node, "path"), text(node, "format"), text(node, "identifier"),
                    text(node, "scope"), text(node, "name"), text(node, "value"),
                    node.path("estimated_duration").asLong(0)));
        }
        return cases;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }

    /** The "message" of an error body, or the body itself abbreviated. */
    static String message(ApiResponse response) {
        try {
            JsonNode node = MAPPER.readTree(response.body());
            if (node != null && node.path("message").isTextual()) {
                return node.path("message").asText();
            }
        } catch (IOException e) {
            // not JSON: show the body
        }
        String body = response.bodyText().strip();
        return body.isEmpty() ? "HTTP " + response.status() : RetryingCaller.abbreviate(body);
    }
}
