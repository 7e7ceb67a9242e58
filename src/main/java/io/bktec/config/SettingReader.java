package io.bktec.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads settings with urfave/cli v3's rules, as bktec v3 does: a flag beats its env var; an empty env var means
 * "unset" for ints and durations and "false" for bools. Problems are collected by key (the env var name) so they
 * can be reported together, sorted.
 */
final class SettingReader {
    private final Map<String, String> flags;
    private final Map<String, String> env;
    private final Map<String, String> problems = new TreeMap<>();

    SettingReader(Map<String, String> flags, Map<String, String> env) {
        this.flags = flags;
        this.env = env;
    }

    /** Each problem as "KEY message", sorted by key. */
    List<String> problems() {
        List<String> lines = new ArrayList<>();
        problems.forEach((key, message) -> lines.add(key + " " + message));
        return lines;
    }

    void problem(String key, String message) {
        problems.putIfAbsent(key, message);
    }

    /** The raw text of a setting and where it came from, or empty when neither flag nor env var is present. */
    Optional<Raw> raw(Setting setting) {
        String flagValue = flags.get(setting.flag());
        if (flagValue != null) {
            return Optional.of(new Raw(flagValue, "flag " + setting.optionName()));
        }
        for (String name : setting.envs()) {
            String value = env.get(name);
            if (value != null) {
                return Optional.of(new Raw(value, "env " + name));
            }
        }
        return Optional.empty();
    }

    record Raw(String text, String source) {
        boolean fromEnv() {
            return source.startsWith("env ");
        }
    }

    Optional<String> string(Setting setting) {
        return raw(setting).map(Raw::text);
    }

    Optional<String> nonBlank(Setting setting) {
        return string(setting).filter(s -> !s.isBlank());
    }

    int integer(Setting setting) {
        Integer value = parsedInt(setting);
        return value == null ? GoValues.parseInt(setting.defaultValue()).orElseThrow() : value;
    }

    /** The parsed int, the default when unset or empty in the env, or null after recording a parse problem. */
    Integer parsedInt(Setting setting) {
        Optional<Raw> raw = raw(setting);
        if (raw.isEmpty() || (raw.get().fromEnv() && raw.get().text().isEmpty())) {
            return GoValues.parseInt(setting.defaultValue()).orElseThrow();
        }
        Optional<Integer> value = GoValues.parseInt(raw.get().text().trim());
        if (value.isEmpty()) {
            problem(setting, "was \"" + raw.get().text() + "\" (" + raw.get().source() + "), must be a whole number");
            return null;
        }
        return value.get();
    }

    Optional<Boolean> bool(Setting setting) {
        Optional<Raw> raw = raw(setting);
        if (raw.isEmpty()) {
            return GoValues.parseBool(setting.defaultValue());
        }
        if (raw.get().fromEnv() && raw.get().text().isEmpty()) {
            return Optional.of(false);
        }
        Optional<Boolean> value = GoValues.parseBool(raw.get().text().trim());
        if (value.isEmpty()) {
            problem(setting, "was \"" + raw.get().text() + "\" (" + raw.get().source()
                    + "), must be true or false (also accepted: 1, t, TRUE, 0, f, FALSE)");
        }
        return value;
    }

    Duration duration(Setting setting) {
        Duration fallback = GoValues.parseDuration(setting.defaultValue()).orElseThrow();
        Optional<Raw> raw = raw(setting);
        if (raw.isEmpty() || (raw.get().fromEnv() && raw.get().text().isEmpty())) {
            return fallback;
        }
        Optional<Duration> value = GoValues.parseDuration(raw.get().text().trim());
        if (value.isEmpty()) {
            problem(setting, "was \"" + raw.get().text() + "\" (" + raw.get().source()
                    + "), must be a duration such as 10s, 1m30s or 500ms");
            return fallback;
        }
        return value.get();
    }

    Duration positive(Setting setting) {
        Duration value = duration(setting);
        if (value.isNegative() || value.isZero()) {
            problem(setting, "was " + GoValues.format(value) + ", must be greater than 0");
        }
        return value;
    }

    void atLeast(Setting setting, int value, int min) {
        if (value < min) {
            problem(setting, "was " + value + ", must be greater than or equal to " + min);
        }
    }

    void atMost(Setting setting, int value, int max) {
        if (value > max) {
            problem(setting, "was " + value + ", must not be greater than " + max);
        }
    }

    void problem(Setting setting, String message) {
        problem(setting.key(), message);
    }
}
