package io.bktec.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bktec.plan.TestPlan;
import reactor.core.publisher.Mono;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The Test Engine endpoints bktec uses, with bktec's headers, retries and error classification. */
public final class TestEngineClient {
    private final HttpTransport transport;
    private final RetryingCaller caller;
    private final String suiteUrl;
    private final Map<String, String> headers;
    private final Consumer<String> debug;

    public TestEngineClient(HttpTransport transport, RetryingCaller caller, String baseUrl, String organization,
                            String suite, String accessToken, String userAgent, Consumer<String> debug) {
        this.transport = transport;
        this.caller = caller;
        String base = baseUrl.replaceAll("/+$", "");
        this.suiteUrl = base + "/v2/analytics/organizations/" + escape(organization) + "/suites/" + escape(suite);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + accessToken);
        h.put("User-Agent", userAgent);
        h.put("Content-Type", "application/json");
        this.headers = Map.copyOf(h);
        this.debug = debug;
    }

    static String escape(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GET the cached plan; empty when there is none (404). */
    public Mono<Optional<TestPlan>> fetchPlan(String identifier, int jobRetryCount) {
        String url = suiteUrl + "/test_plan?identifier=" + escape(identifier) + "&job_retry_count=" + jobRetryCount;
        return exchange("GET", url, null).map(response -> {
            if (response.status() == 404) {
                return Optional.<TestPlan>empty();
            }
            requireSuccess(response);
            return Optional.of(PlanJson.plan(response, "GET test_plan"));
        });
    }

    public Mono<TestPlan> createPlan(PlanRequest request) {
        return createPlanAsReceived(request).map(ReceivedPlan::plan);
    }

    /** A plan the server created, and the body it came in. */
    public record ReceivedPlan(TestPlan plan, String body) {
    }

    public Mono<ReceivedPlan> createPlanAsReceived(PlanRequest request) {
        return exchange("POST", suiteUrl + "/test_plan", PlanJson.request(request)).map(response -> {
            requireSuccess(response);
            return new ReceivedPlan(PlanJson.plan(response, "POST test_plan"), response.bodyText());
        });
    }

    /** Which of these (prefixed) files the server wants expanded into single tests. */
    public Mono<List<String>> filterTests(List<String> files, Map<String, Object> env) {
        ObjectNode body = PlanJson.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("files");
        files.forEach(f -> list.addObject().put("path", f));
        body.set("env", PlanJson.MAPPER.valueToTree(env));
        return exchange("POST", suiteUrl + "/test_plan/filter_tests", PlanJson.bytes(body)).map(response -> {
            requireSuccess(response);
            JsonNode root = PlanJson.tree(response, "POST filter_tests");
            JsonNode tests = root.path("tests");
            if (!tests.isMissingNode() && !tests.isNull() && !tests.isArray()) {
                throw PlanJson.unreadable("POST filter_tests", "\"tests\" is not an array");
            }
            List<String> paths = new ArrayList<>();
            for (JsonNode test : tests) {
                if (test.path("path").isTextual()) {
                    paths.add(test.path("path").asText());
                }
            }
            return paths;
        });
    }

    public Mono<Void> sendMetadata(Map<String, Object> body) {
        return exchange("POST", suiteUrl + "/test_plan_metadata", PlanJson.bytes(PlanJson.MAPPER.valueToTree(body)))
                .doOnNext(TestEngineClient::requireSuccess).then();
    }

    private Mono<ApiResponse> exchange(String method, String url, byte[] body) {
        String what = method + " " + url.replace(suiteUrl, "…").replaceFirst("\\?.*", "");
        return Mono.defer(() -> {
            long start = System.nanoTime();
            debug.accept("request: " + method + " " + url + (body == null ? "" : " " + RetryingCaller.abbreviate(
                    new String(body, StandardCharsets.UTF_8))));
            return caller.call(what, () -> transport.send(method, url, headers, body)
                            .doOnNext(r -> debug.accept("response: " + r.status() + " to " + method + " " + url + " "
                                    + RetryingCaller.abbreviate(r.bodyText()))))
                    .doOnNext(r -> debug.accept(what + " answered " + r.status() + " after "
                            + (System.nanoTime() - start) / 1_000_000 + " ms"));
        });
    }

    private static void requireSuccess(ApiResponse response) {
        if (response.status() < 200 || response.status() > 299) {
            throw ApiException.forStatus(response.status(), PlanJson.message(response));
        }
    }
}
