package io.bktec.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses values the way Go's strconv and time packages do, because bktec users' env vars were written for them:
 * ints take base prefixes ({@code 0x10}, {@code 0o17}, leading-zero octal, {@code 1_000}), bools take exactly
 * strconv.ParseBool's words, durations take {@code 90s}, {@code 4m30s}, {@code 1h}.
 */
public final class GoValues {
    private GoValues() {
    }

    private static final Set<String> TRUE_WORDS = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE_WORDS = Set.of("0", "f", "F", "FALSE", "false", "False");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    public static Optional<Boolean> parseBool(String text) {
        if (TRUE_WORDS.contains(text)) {
            return Optional.of(true);
        }
        if (FALSE_WORDS.contains(text)) {
            return Optional.of(false);
        }
        return Optional.empty();
    }

    /** Go's {@code strconv.ParseInt(s, 0, 64)}, narrowed to int. */
    public static Optional<Integer> parseInt(String text) {
        String s = text;
        boolean negative = false;
        if (s.startsWith("+") || s.startsWith("-")) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        int radix = 10;
        boolean prefixed = false;
        if (s.length() >= 2 && s.charAt(0) == '0') {
            char p = Character.toLowerCase(s.charAt(1));
            if (p == 'x' || p == 'o' || p == 'b') {
                radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
                s = s.substring(2);
                prefixed = true;
            } else {
                radix = 8;
                s = s.substring(1);
                prefixed = true;
            }
        }
        if (!underscoresOk(s, prefixed)) {
            return Optional.empty();
        }
        String digits = s.replace("_", "");
        if (digits.isEmpty()) {
            // "0" alone (radix 8, nothing left) is zero; a bare prefix like "0x" is not a number.
            return text.replaceFirst("^[+-]", "").equals("0") ? Optional.of(0) : Optional.empty();
        }
        try {
            long value = Long.parseLong((negative ? "-" : "") + digits, radix);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE || digits.startsWith("+") || digits.startsWith("-")) {
                return Optional.empty();
            }
            return Optional.of((int) value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Underscores only between digits, or right after a base prefix, as Go allows for base 0. */
    private static boolean underscoresOk(String digits, boolean prefixed) {
        if (!digits.contains("_")) {
            return true;
        }
        char previous = prefixed ? '_' : '!';
        // Go: the prefix counts as a digit for this check, so "0x_1f" is fine but "1__0" and "10_" are not.
        previous = prefixed ? '0' : previous;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c == '_' && (previous == '_' || previous == '!')) {
                return false;
            }
            previous = c;
        }
        return previous != '_';
    }

    /** Go's {@code time.ParseDuration}. */
    public static Optional<Duration> parseDuration(String text) {
        String s = text;
        boolean negative = false;
        if (s.startsWith("+") || s.startsWith("-")) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal totalNanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            Long nanos = NANOS_PER_UNIT.get(unit);
            if (number.isEmpty() || number.equals(".") || nanos == null || number.indexOf('.') != number.lastIndexOf('.')) {
                return Optional.empty();
            }
            totalNanos = totalNanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(nanos)));
        }
        if (totalNanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Optional.empty();
        }
        long nanos = totalNanos.longValue();
        return Optional.of(Duration.ofNanos(negative ? -nanos : nanos));
    }

    /** Renders a duration as Go would print it, for messages ({@code 1m30s}, {@code 250ms}). */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillis() < 1000 && !d.isNegative()) {
            return d.toMillis() + "ms";
        }
        StringBuilder sb = new StringBuilder(d.isNegative() ? "-" : "");
        Duration abs = d.abs();
        long h = abs.toHours();
        long m = abs.toMinutesPart();
        double s = abs.toSecondsPart() + abs.toNanosPart() / 1e9;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            sb.append(m).append('m');
        }
        String secs = s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
        return sb.append(secs).append('s').toString();
    }
}
