package io.bktec.config;

import java.util.Locale;
import java.util.Optional;

/**
 * How many failed tests an attempt may have and still be retried: a count, or a share of the attempt's tests. Above
 * it the build is taken for broken, and retrying test by test would only say again what one run said. Pure.
 *
 * @param count   the most failures, when given as a count (else -1)
 * @param percent the most failures as a percentage of the attempt's tests, when given so (else -1)
 */
public record RetryLimit(int count, double percent) {
    /** "50" or "10%"; empty when it is neither. */
    public static Optional<RetryLimit> parse(String text) {
        String value = text.strip();
        try {
            if (value.endsWith("%")) {
                double percent = Double.parseDouble(value.substring(0, value.length() - 1).strip());
                return percent >= 0 && percent <= 100 ? Optional.of(new RetryLimit(-1, percent)) : Optional.empty();
            }
            int count = Integer.parseInt(value);
            return count >= 0 ? Optional.of(new RetryLimit(count, -1)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code failures} of the attempt's {@code tests} are more than the limit allows. */
    public boolean exceededBy(int failures, int tests) {
        return count >= 0 ? failures > count : failures * 100.0 > percent * tests;
    }

    /** "the 10 % limit", "the limit of 50". */
    public String describe() {
        if (count >= 0) {
            return "the limit of " + count;
        }
        String number = percent == Math.rint(percent) ? Long.toString((long) percent)
                : String.format(Locale.ROOT, "%s", percent);
        return "the " + number + " % limit";
    }
}
