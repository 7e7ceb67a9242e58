package io.bktec.api;

import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** {@link HttpTransport} on reactor-netty's non-blocking client. Loaded only in API mode. */
public final class NettyTransport implements HttpTransport {
    private static final byte[] EMPTY = new byte[0];
    private final HttpClient client;

    public NettyTransport() {
        this.client = HttpClient.create().followRedirect(true);
    }

    @Override
    public Mono<ApiResponse> send(String method, String url, Map<String, String> headers, byte[] body) {
        HttpClient withHeaders = client.headers(h -> headers.forEach(h::set));
        HttpClient.ResponseReceiver<?> request = body == null
                ? withHeaders.request(HttpMethod.valueOf(method)).uri(url)
                : withHeaders.request(HttpMethod.valueOf(method)).uri(url)
                .send((req, out) -> out.sendByteArray(Mono.just(body)));
        return request.responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(EMPTY)
                .map(bytes -> {
                    Map<String, String> responseHeaders = new HashMap<>();
                    response.responseHeaders().forEach(e -> responseHeaders.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
                    return new ApiResponse(response.status().code(), responseHeaders, bytes);
                }));
    }
}
