package io.bktec.config;

/**
 * A value that must never reach a log line: an API token, an upload token. Its {@code toString} says only whether it
 * is set, so a configuration printed whole (as {@code --debug} does) shows no secret.
 */
public record Secret(String value) {
    public Secret {
        value = value == null ? "" : value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "" : "[REDACTED]";
    }
}
