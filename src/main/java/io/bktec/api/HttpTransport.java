package io.bktec.api;

import reactor.core.publisher.Mono;

import java.util.Map;

/** Sends one HTTP request and reads the whole response. */
@FunctionalInterface
public interface HttpTransport {
    Mono<ApiResponse> send(String method, String url, Map<String, String> headers, byte[] body);
}
