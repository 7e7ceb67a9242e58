package io.bktec.api;

import java.time.Duration;

/**
 * bktec's wait before the k-th retry (k = 1, 2, …): {@code floor(3000^((k-1)/16 + 1))} ms plus up to one second of
 * jitter (≈ 3.0 s, 4.95 s, 8.2 s, 13.5 s, 22 s, 37 s, 60 s …). A 429 with an integer {@code RateLimit-Reset}
 * header waits exactly that many seconds instead.
 */
public final class Backoff {
    private Backoff() {
    }

    /**
     * @param retry    1 for the first retry
     * @param response the response that is being retried, or null for a transport error
     * @param jitter   a number in [0, 1)
     */
    public static Duration before(int retry, ApiResponse response, double jitter) {
        if (response != null && response.status() == 429) {
            String reset = response.header("RateLimit-Reset");
            if (reset != null && reset.strip().matches("\\d{1,9}")) {
                return Duration.ofSeconds(Long.parseLong(reset.strip()));
            }
        }
        double exponent = (retry - 1) / 16.0 + 1;
        long base = (long) Math.floor(Math.pow(3000, exponent));
        return Duration.ofMillis(base + (long) Math.floor(jitter * 1000));
    }

    public static boolean retryable(int status) {
        return status == 429 || status == 409 || status >= 500;
    }
}
