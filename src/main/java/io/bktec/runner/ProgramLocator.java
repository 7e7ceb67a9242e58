package io.bktec.runner;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a program as exec does: a name with a slash is a path, anything else is looked up on PATH. */
public final class ProgramLocator {
    private final String path;
    private final Path workingDirectory;

    public ProgramLocator(String pathVariable, Path workingDirectory) {
        this.path = pathVariable == null ? "" : pathVariable;
        this.workingDirectory = workingDirectory;
    }

    public Optional<Path> locate(String program) {
        if (program.contains("/")) {
            Path candidate = workingDirectory.resolve(program);
            return executable(candidate) ? Optional.of(candidate) : Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator, -1)) {
            Path candidate = workingDirectory.resolve(dir.isEmpty() ? "." : dir).resolve(program);
            if (executable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The Python bktec asks about the test environment: {@code python}, else {@code python3} (bktec asks
     * {@code python} only, and on a machine with just {@code python3} wrongly finds no collector).
     */
    public Optional<Path> python() {
        return locate("python").or(() -> locate("python3"));
    }

    private static boolean executable(Path candidate) {
        return Files.isRegularFile(candidate) && Files.isExecutable(candidate);
    }
}
