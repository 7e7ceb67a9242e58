package io.bktec.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A short helper command bktec runs for an answer (`pytest --collect-only`, `python -c`, `buildkite-agent oidc`),
 * not a test process: no input, its output captured, killed if it runs past its time. Blocking: run it off the
 * event loop.
 */
public final class HelperCommand {
    private HelperCommand() {
    }

    /** @param exitStatus the command's exit status; {@code stdout} and {@code stderr} are its output, as text */
    public record Finished(int exitStatus, String stdout, String stderr) {
    }

    /**
     * @param directory where it runs; null for bktec's own working directory
     * @return what it did, or empty when it did not finish within the timeout (it was killed)
     * @throws IOException when it cannot be started
     */
    public static Optional<Finished> run(List<String> command, Path directory, Duration timeout)
            throws IOException, InterruptedException {
        return run(command, directory, null, timeout);
    }

    /** As {@link #run(List, Path, Duration)}, with exactly {@code environment} (null: bktec's own). */
    public static Optional<Finished> run(List<String> command, Path directory, java.util.Map<String, String> environment,
                                         Duration timeout) throws IOException, InterruptedException {
        return run(command, directory, environment, timeout, null);
    }

    /** As {@link #run(List, Path, java.util.Map, Duration)}, with {@code input} on its stdin (null: none). */
    public static Optional<Finished> run(List<String> command, Path directory, java.util.Map<String, String> environment,
                                         Duration timeout, String input) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("bktec-helper", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(input == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                            : ProcessBuilder.Redirect.PIPE)
                    .redirectError(errors.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            if (environment != null) {
                builder.environment().clear();
                builder.environment().putAll(environment);
            }
            Process process = builder.start();
            if (input != null) {
                try (java.io.OutputStream stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                } catch (IOException closedEarly) {
                    // It stopped reading (it failed): its exit status says so.
                }
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new Finished(process.exitValue(), out, Files.readString(errors, StandardCharsets.UTF_8)));
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
