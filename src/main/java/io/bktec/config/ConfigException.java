package io.bktec.config;

import java.util.List;

/** The user's configuration is wrong; each problem is one line `<KEY> <message>`, already sorted. */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
