package io.bktec.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PythonCollectorProbeTest {
    @TempDir
    Path dir;

    /** A stand-in python that counts its calls and answers like the probe script, with one sys.path entry. */
    private Path fakePython(String answer, int exitCode) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("site-packages"));
        Path python = bin.resolve("python");
        Files.writeString(python, "#!/bin/sh\necho x >> '" + dir.resolve("calls") + "'\n"
                + "printf '" + answer + "\\000" + dir.resolve("site-packages") + "'\nexit " + exitCode + "\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private boolean ask(Path bin, Map<String, String> env) {
        Optional<ProbeCache> cache = Optional.of(new ProbeCache(dir.resolve("cache"), System::currentTimeMillis));
        try (PythonCollectorProbe probe = PythonCollectorProbe.lazy(new ProgramLocator(bin.toString(), dir), dir, env, cache)) {
            return probe.collectorInstalled();
        }
    }

    private long calls() throws IOException {
        Path calls = dir.resolve("calls");
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    @Test
    void theAnswerIsRememberedUntilASysPathDirectoryChanges() throws IOException {
        Path bin = fakePython("True", 0);
        Map<String, String> env = Map.of("PATH", bin.toString());

        assertThat(ask(bin, env)).isTrue();
        assertThat(ask(bin, env)).isTrue();
        assertThat(calls()).isEqualTo(1);

        Path sitePackages = dir.resolve("site-packages");
        Files.setLastModifiedTime(sitePackages, FileTime.fromMillis(Files.getLastModifiedTime(sitePackages).toMillis() - 5000));
        assertThat(ask(bin, env)).isTrue();
        assertThat(calls()).isEqualTo(2);
    }

    @Test
    void aDifferentPythonEnvironmentIsAskedSeparately() throws IOException {
        Path bin = fakePython("False", 0);
        assertThat(ask(bin, Map.of("PATH", bin.toString()))).isFalse();
        assertThat(ask(bin, Map.of("PATH", bin.toString(), "PYTHONPATH", "/elsewhere"))).isFalse();
        assertThat(ask(bin, Map.of("PATH", bin.toString(), "VIRTUAL_ENV", "/venv"))).isFalse();
        assertThat(ask(bin, Map.of("PATH", bin.toString()))).isFalse();
        assertThat(calls()).isEqualTo(3);
    }

    @Test
    void aFailedOrOddAnswerIsNotRemembered() throws IOException {
        Path bin = fakePython("True", 3);
        assertThat(ask(bin, Map.of("PATH", bin.toString()))).isFalse();
        assertThat(ask(bin, Map.of("PATH", bin.toString()))).isFalse();
        assertThat(calls()).isEqualTo(2);

        Files.delete(dir.resolve("calls"));
        bin = fakePython("Maybe", 0);
        assertThat(ask(bin, Map.of("PATH", bin.toString()))).isFalse();
        assertThat(ask(bin, Map.of("PATH", bin.toString()))).isFalse();
        assertThat(calls()).isEqualTo(2);
    }

    @Test
    void aCollectorAppearingBesideTheTestsIsNoticed() throws IOException {
        Path bin = fakePython("False", 0);
        Map<String, String> env = Map.of("PATH", bin.toString());
        assertThat(ask(bin, env)).isFalse();
        Files.createDirectory(dir.resolve("buildkite_test_collector"));
        ask(bin, env);
        assertThat(calls()).isEqualTo(2);
    }
}
