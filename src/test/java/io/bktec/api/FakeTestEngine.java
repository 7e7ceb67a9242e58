package io.bktec.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted stand-in for the Test Engine API on reactor-netty, bound to 127.0.0.1. Each route ("GET test_plan",
 * "POST test_plan", "POST filter_tests", "POST test_plan_metadata") answers from its script in order, the last
 * answer repeating; unscripted routes answer 404. Every request is recorded.
 */
public final class FakeTestEngine implements AutoCloseable {
    /** One scripted answer. */
    public record Reply(int status, Map<String, String> headers, String body, Duration delay, boolean drop) {
        public static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body, Duration.ZERO, false);
        }

        public static Reply html(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "text/html"), body, Duration.ZERO, false);
        }

        public static Reply dropped() {
            return new Reply(0, Map.of(), "", Duration.ZERO, true);
        }

        public Reply after(Duration wait) {
            return new Reply(status, headers, body, wait, drop);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, more, body, delay, drop);
        }
    }

    /** One request as received. */
    public record Received(String method, String uri, Map<String, String> headers, String body) {
        public String route() {
            return FakeTestEngine.route(method, uri);
        }
    }

    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final DisposableServer server;

    public FakeTestEngine() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            Map<String, String> headers = new HashMap<>();
                            request.requestHeaders().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
                            Received r = new Received(request.method().name(), request.uri(), headers, body);
                            received.add(r);
                            Reply reply = next(r.route());
                            Mono<Void> wait = reply.delay().isZero() ? Mono.empty() : Mono.delay(reply.delay()).then();
                            if (reply.drop()) {
                                return wait.then(Mono.fromRunnable(() -> response.withConnection(c -> c.dispose())));
                            }
                            reply.headers().forEach(response::header);
                            return wait.then(response.status(HttpResponseStatus.valueOf(reply.status()))
                                    .sendString(Mono.just(reply.body())).then());
                        }))
                .bindNow();
    }

    static String route(String method, String uri) {
        String path = uri.replaceFirst("\\?.*", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        return method + " " + last;
    }

    private Reply next(String route) {
        Deque<Reply> script = scripts.get(route);
        if (script == null || script.isEmpty()) {
            return Reply.json(404, "{\"message\": \"no script for " + route + "\"}");
        }
        return script.size() > 1 ? script.pollFirst() : script.peekFirst();
    }

    /** Scripts a route: answers in order, the last one repeating. */
    public FakeTestEngine on(String route, Reply... replies) {
        scripts.put(route, new ConcurrentLinkedDeque<>(List.of(replies)));
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> received(String route) {
        return received.stream().filter(r -> r.route().equals(route)).toList();
    }

    @Override
    public void close() {
        server.disposeNow();
    }

    /** A plan response with these tasks (node → test paths), muted keys as "scope/name" pairs. */
    public static String plan(String identifier, Map<String, List<String>> tasks, List<String[]> muted, List<String> skipped) {
        StringBuilder sb = new StringBuilder("{\"identifier\":\"" + identifier + "\",\"parallelism\":" + tasks.size()
                + ",\"experiment\":\"\",\"tasks\":{");
        int i = 0;
        for (Map.Entry<String, List<String>> e : tasks.entrySet()) {
            sb.append(i++ > 0 ? "," : "").append('"').append(e.getKey()).append("\":{\"node_number\":").append(e.getKey())
                    .append(",\"tests\":[");
            for (int j = 0; j < e.getValue().size(); j++) {
                String path = e.getValue().get(j);
                String format = path.contains("::") ? "example" : "file";
                sb.append(j > 0 ? "," : "").append("{\"path\":").append(quote(path)).append(",\"format\":\"").append(format)
                        .append("\",\"estimated_duration\":100}");
            }
            sb.append("]}");
        }
        sb.append("},\"muted_tests\":[");
        for (int j = 0; j < muted.size(); j++) {
            sb.append(j > 0 ? "," : "").append("{\"scope\":").append(quote(muted.get(j)[0])).append(",\"name\":")
                    .append(quote(muted.get(j)[1])).append(",\"path\":").append(quote(muted.get(j)[0] + "::" + muted.get(j)[1]))
                    .append('}');
        }
        sb.append("],\"skipped_tests\":[");
        for (int j = 0; j < skipped.size(); j++) {
            sb.append(j > 0 ? "," : "").append("{\"path\":").append(quote(skipped.get(j))).append(",\"format\":\"example\"}");
        }
        return sb.append("]}").toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
