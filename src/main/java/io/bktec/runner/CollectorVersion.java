package io.bktec.runner;

import io.bktec.process.HelperCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which buildkite-test-collector is installed, asked of Python's package metadata, and whether it can filter by tag:
 * its {@code --tag-filters} option came after 1.2.0. bktec reads the version as semver and so refuses PEP 440
 * versions such as {@code 1.10.0b1}; here only the release numbers count.
 */
public final class CollectorVersion {
    private static final String SCRIPT = "import importlib.metadata as m; print(m.version('buildkite-test-collector'))";
    private static final Pattern RELEASE = Pattern.compile("^v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    private CollectorVersion() {
    }

    /** The installed version, from {@code python} (or {@code python3}) in the working directory; empty if none. */
    public static Optional<String> installed(ProgramLocator programs, Path workingDirectory) {
        Optional<Path> python = programs.python();
        if (python.isEmpty()) {
            return Optional.empty();
        }
        try {
            return HelperCommand.run(List.of(python.get().toString(), "-c", SCRIPT), workingDirectory,
                            Duration.ofSeconds(30))
                    .filter(run -> run.exitStatus() == 0 && !run.stdout().isBlank())
                    .map(run -> run.stdout().strip());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Whether a collector of this version has {@code --tag-filters}: its release is greater than 1.2.0. */
    public static boolean filtersTags(String version) {
        Matcher m = RELEASE.matcher(version.strip());
        if (!m.find()) {
            return false;
        }
        int[] release = {number(m.group(1)), number(m.group(2)), number(m.group(3))};
        int[] oldest = {1, 2, 0};
        for (int i = 0; i < 3; i++) {
            if (release[i] != oldest[i]) {
                return release[i] > oldest[i];
            }
        }
        return false;
    }

    private static int number(String digits) {
        if (digits == null) {
            return 0;
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
