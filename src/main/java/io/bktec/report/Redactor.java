package io.bktec.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Removes secret values from anything bktec prints: the values of every environment variable whose name matches
 * the Buildkite agent's redaction patterns (*_TOKEN, *_SECRET, *_PASSWORD, *_PRIVATE_KEY, *_ACCESS_KEY,
 * *_SECRET_KEY, *_SSH_KEY, *_API_KEY, *_CONNECTION_STRING), plus tokens bktec minted itself.
 */
public final class Redactor {
    /** As the agent does: shorter values (true, 1, …) would blank out ordinary words. */
    private static final int MIN_SECRET_LENGTH = 6;
    private final List<String> secrets;

    public Redactor(List<String> secrets) {
        List<String> sorted = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_SECRET_LENGTH && !sorted.contains(s)) {
                sorted.add(s);
            }
        }
        // Longest first, so a secret that contains another is removed whole.
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(sorted);
    }

    public static Redactor fromEnvironment(Map<String, String> env) {
        List<String> secrets = new ArrayList<>();
        env.forEach((name, value) -> {
            if (isSecretName(name)) {
                secrets.add(value);
            }
        });
        return new Redactor(secrets);
    }

    private static final List<String> SECRET_SUFFIXES = List.of("_TOKEN", "_SECRET", "_PASSWORD", "_PRIVATE_KEY",
            "_ACCESS_KEY", "_SECRET_KEY", "_SSH_KEY", "_API_KEY", "_CONNECTION_STRING");

    public static boolean isSecretName(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return SECRET_SUFFIXES.stream().anyMatch(upper::endsWith);
    }

    public String redact(String text) {
        String result = text;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, "[REDACTED]");
            }
        }
        return result;
    }
}
