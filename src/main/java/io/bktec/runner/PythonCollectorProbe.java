package io.bktec.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks Python whether {@code buildkite_test_collector} can be imported, as bktec does, but with {@code python3}
 * when there is no {@code python} (bktec then wrongly concludes the collector is missing). Blocking: call it off
 * the event loop.
 */
public final class PythonCollectorProbe implements CollectorProbe {
    private static final String SCRIPT =
            "import importlib.util; print(importlib.util.find_spec('buildkite_test_collector') is not None)";
    private final ProgramLocator programs;
    private final Path workingDirectory;

    public PythonCollectorProbe(ProgramLocator programs, Path workingDirectory) {
        this.programs = programs;
        this.workingDirectory = workingDirectory;
    }

    @Override
    public boolean collectorInstalled() {
        Optional<Path> python = programs.locate("python").or(() -> programs.locate("python3"));
        if (python.isEmpty()) {
            return false;
        }
        try {
            Process process = new ProcessBuilder(python.get().toString(), "-c", SCRIPT)
                    .directory(workingDirectory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0 && new String(out, StandardCharsets.UTF_8).strip().equals("True");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
