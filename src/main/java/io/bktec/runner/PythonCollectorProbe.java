package io.bktec.runner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks Python whether {@code buildkite_test_collector} can be imported, as bktec does, but with {@code python3}
 * when there is no {@code python} (bktec then wrongly concludes the collector is missing).
 * <p>
 * Python (often behind a pyenv shim) takes a few hundred milliseconds to answer, so the probe is started as soon as
 * bktec starts, overlapping the JVM's own start-up, and only waited for when the answer is needed. {@link #close()}
 * kills it if it was never needed, so it cannot outlive bktec.
 */
public final class PythonCollectorProbe implements CollectorProbe, AutoCloseable {
    private static final String SCRIPT =
            "import importlib.util; print(importlib.util.find_spec('buildkite_test_collector') is not None)";
    private final Process process;

    private PythonCollectorProbe(Process process) {
        this.process = process;
    }

    /** Starts the probe now; with no Python on PATH the answer is "not installed". */
    public static PythonCollectorProbe start(ProgramLocator programs, Path workingDirectory) {
        Optional<Path> python = programs.locate("python").or(() -> programs.locate("python3"));
        if (python.isEmpty()) {
            return new PythonCollectorProbe(null);
        }
        try {
            return new PythonCollectorProbe(new ProcessBuilder(python.get().toString(), "-c", SCRIPT)
                    .directory(workingDirectory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start());
        } catch (IOException e) {
            return new PythonCollectorProbe(null);
        }
    }

    /** Blocks until Python answers (at most 30 s); call it off the event loop. */
    @Override
    public boolean collectorInstalled() {
        if (process == null) {
            return false;
        }
        try {
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

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
