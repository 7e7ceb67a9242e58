package io.bktec.api;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** bktec's retry engine, in virtual time: no test here waits for real seconds. */
class RetryingCallerTest {
    private final List<String> chatter = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    private static ApiResponse response(int status, Map<String, String> headers) {
        return new ApiResponse(status, headers, "{}".getBytes());
    }

    private Supplier<Mono<ApiResponse>> script(List<Supplier<Mono<ApiResponse>>> answers) {
        Iterator<Supplier<Mono<ApiResponse>>> it = answers.iterator();
        return () -> {
            calls.incrementAndGet();
            return it.hasNext() ? it.next().get() : Mono.error(new IllegalStateException("script exhausted"));
        };
    }

    private RetryingCaller caller(Duration budget) {
        return new RetryingCaller(Duration.ofSeconds(15), budget, Schedulers.parallel(), () -> 0.0, chatter::add);
    }

    @Test
    void backoffScheduleMatchesBktec() {
        assertThat(Backoff.before(1, null, 0)).isEqualTo(Duration.ofMillis(3000));
        assertThat(Backoff.before(2, null, 0)).isEqualTo(Duration.ofMillis(4948));
        assertThat(Backoff.before(3, null, 0)).isEqualTo(Duration.ofMillis(8161));
        assertThat(Backoff.before(7, null, 0)).isEqualTo(Duration.ofMillis(60400));
        assertThat(Backoff.before(1, null, 0.5)).isEqualTo(Duration.ofMillis(3500));
        assertThat(Backoff.before(1, response(429, Map.of("ratelimit-reset", "42")), 0.9)).isEqualTo(Duration.ofSeconds(42));
        assertThat(Backoff.before(1, response(429, Map.of("ratelimit-reset", "soon")), 0)).isEqualTo(Duration.ofMillis(3000));
        assertThat(Backoff.before(1, response(503, Map.of("ratelimit-reset", "42")), 0)).isEqualTo(Duration.ofMillis(3000));
    }

    @Test
    void fiveHundredsThenSuccessWithinTheBudget() {
        StepVerifier.withVirtualTime(() -> caller(Duration.ofSeconds(130)).call("GET x", script(List.of(
                        () -> Mono.just(response(500, Map.of())), () -> Mono.just(response(502, Map.of())),
                        () -> Mono.just(response(200, Map.of()))))))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(3000 + 4948 - 1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> assertThat(r.status()).isEqualTo(200))
                .verifyComplete();
        assertThat(calls).hasValue(3);
        assertThat(chatter).anyMatch(l -> l.contains("attempt 1 failed: HTTP 500"));
    }

    @Test
    void rateLimitResetIsWaitedExactly() {
        StepVerifier.withVirtualTime(() -> caller(Duration.ofSeconds(130)).call("GET x", script(List.of(
                        () -> Mono.just(response(429, Map.of("ratelimit-reset", "20"))),
                        () -> Mono.just(response(200, Map.of()))))))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(20).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> assertThat(r.status()).isEqualTo(200))
                .verifyComplete();
    }

    @Test
    void conflictsAndTransportErrorsAreRetriedButFourHundredsAreNot() {
        StepVerifier.withVirtualTime(() -> caller(Duration.ofSeconds(130)).call("POST x", script(List.of(
                        () -> Mono.just(response(409, Map.of())),
                        () -> Mono.error(new java.io.IOException("Connection reset by peer")),
                        () -> Mono.just(response(401, Map.of()))))))
                .thenAwait(Duration.ofSeconds(10))
                .assertNext(r -> assertThat(r.status()).isEqualTo(401))
                .verifyComplete();
        assertThat(calls).hasValue(3);
    }

    @Test
    void anUnansweredAttemptTimesOutAfter15sAndIsRetried() {
        StepVerifier.withVirtualTime(() -> caller(Duration.ofSeconds(130)).call("GET x", script(List.of(
                        Mono::never, () -> Mono.just(response(200, Map.of()))))))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(15_000 + 3000 - 1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> assertThat(r.status()).isEqualTo(200))
                .verifyComplete();
        assertThat(chatter).anyMatch(l -> l.contains("no response within the attempt timeout"));
    }

    @Test
    void theBudgetEndsTheRetriesWithATimeoutCarryingTheLastError() {
        StepVerifier.withVirtualTime(() -> caller(Duration.ofSeconds(130)).call("GET x",
                        () -> Mono.just(response(503, Map.of())).doOnSubscribe(s -> calls.incrementAndGet())))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(130).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(ApiException.class);
                    assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.TIMEOUT);
                    assertThat(e.getMessage()).contains("request retry timeout").contains("HTTP 503");
                })
                .verify();
        // attempts at 0, 3, 7.9, 16.1, 29.6, 51.8, 88.4 s: the next wait (60.4 s) runs past the 130 s budget
        assertThat(calls).hasValue(7);
    }
}
