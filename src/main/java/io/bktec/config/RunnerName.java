package io.bktec.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The test runners bktec-java supports, under the names bktec uses. */
public enum RunnerName {
    PYTEST("pytest"),
    PYTEST_PANTS("pytest-pants");

    private final String id;

    RunnerName(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** As bktec names it, so a printed configuration reads as the user wrote it. */
    @Override
    public String toString() {
        return id;
    }

    public static Optional<RunnerName> fromId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }

    public static String validNames() {
        return Arrays.stream(values()).map(RunnerName::id).collect(Collectors.joining(", "));
    }
}
