package io.bktec.api;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Calls an endpoint until it gives an answer worth keeping, as bktec's client does: transport errors, attempts that
 * exceed the per-attempt timeout, 429, 409 and 5xx are retried with {@link Backoff}, within an overall budget.
 * Every wait goes through Reactor's timers on the given scheduler, so tests run it in virtual time.
 */
public final class RetryingCaller {
    private final Duration attemptTimeout;
    private final Duration budget;
    private final Scheduler timer;
    private final DoubleSupplier jitter;
    private final Consumer<String> chatter;

    public RetryingCaller(Duration attemptTimeout, Duration budget, Scheduler timer, DoubleSupplier jitter,
                          Consumer<String> chatter) {
        this.attemptTimeout = attemptTimeout;
        this.budget = budget;
        this.timer = timer;
        this.jitter = jitter;
        this.chatter = chatter;
    }

    /** A response that will be retried. */
    static final class RetryableResponse extends RuntimeException {
        final ApiResponse response;

        RetryableResponse(ApiResponse response) {
            super("HTTP " + response.status(), null, false, false);
            this.response = response;
        }
    }

    /** A transport failure or an attempt that took too long. */
    static final class TransportFailure extends RuntimeException {
        TransportFailure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param what    "GET …/test_plan", for messages
     * @param attempt makes one request when subscribed
     * @return the first response that is not retried; errors with {@link ApiException} of kind TIMEOUT when the
     * budget runs out
     */
    public Mono<ApiResponse> call(String what, Supplier<Mono<ApiResponse>> attempt) {
        AtomicReference<String> lastError = new AtomicReference<>("no attempt finished");
        AtomicInteger attempts = new AtomicInteger();
        Mono<ApiResponse> once = Mono.defer(() -> {
                    attempts.incrementAndGet();
                    return attempt.get();
                })
                .timeout(attemptTimeout, timer)
                .onErrorMap(e -> !(e instanceof ApiException), RetryingCaller::asTransportFailure)
                .flatMap(r -> Backoff.retryable(r.status()) ? Mono.error(new RetryableResponse(r)) : Mono.just(r))
                .doOnError(e -> {
                    String message = describe(e);
                    lastError.set(message);
                    chatter.accept(what + " attempt " + attempts.get() + " failed: " + message);
                });
        Retry retry = Retry.from(signals -> signals.concatMap(signal -> {
            Throwable failure = signal.failure();
            if (!(failure instanceof RetryableResponse) && !(failure instanceof TransportFailure)) {
                return Mono.error(failure);
            }
            ApiResponse response = failure instanceof RetryableResponse r ? r.response : null;
            Duration wait = Backoff.before((int) signal.totalRetries() + 1, response, jitter.getAsDouble());
            chatter.accept(what + ": retrying (attempt " + (attempts.get() + 1) + ") in " + wait.toMillis() + " ms");
            return Mono.delay(wait, timer);
        }));
        return once.retryWhen(retry)
                .timeout(budget, timer)
                .onErrorMap(TimeoutException.class, e -> new ApiException(ApiException.Kind.TIMEOUT, 0,
                        "request retry timeout after " + budget.toSeconds() + " s: " + lastError.get()));
    }

    private static Throwable asTransportFailure(Throwable e) {
        if (e instanceof TimeoutException) {
            return new TransportFailure("no response within the attempt timeout");
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new TransportFailure(message);
    }

    private static String describe(Throwable e) {
        if (e instanceof RetryableResponse r) {
            String body = r.response.bodyText().strip();
            return "HTTP " + r.response.status() + (body.isEmpty() ? "" : ": " + abbreviate(body));
        }
        return e.getMessage();
    }

    static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 197) + "..." : oneLine;
    }
}
