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
 * Python (often behind a pyenv shim) takes a few hundred milliseconds to answer, so when the answer will probably
 * be needed the probe is started as soon as bktec starts, overlapping the JVM's own start-up, and only waited for
 * when the answer is needed. {@link #close()} kills it if it was never needed, so it cannot outlive bktec.
 */
public final class PythonCollectorProbe implements CollectorProbe, AutoCloseable {
    private static final String SCRIPT =
            "import importlib.util; print(importlib.util.find_spec('buildkite_test_collector') is not None)";
    private final ProgramLocator programs;
    private final Path workingDirectory;
    private Process process;
    private boolean started;

    private PythonCollectorProbe(ProgramLocator programs, Path workingDirectory) {
        this.programs = programs;
        this.workingDirectory = workingDirectory;
    }

    /** A probe that starts Python now, so its start-up overlaps bktec's. */
    public static PythonCollectorProbe start(ProgramLocator programs, Path workingDirectory) {
        PythonCollectorProbe probe = new PythonCollectorProbe(programs, workingDirectory);
        probe.launch();
        return probe;
    }

    /** A probe that starts Python only if it is asked (when the answer will probably not be needed). */
    public static PythonCollectorProbe lazy(ProgramLocator programs, Path workingDirectory) {
        return new PythonCollectorProbe(programs, workingDirectory);
    }

    /** With no Python on PATH the answer will be "not installed". */
    private synchronized void launch() {
        if (started) {
            return;
        }
        started = true;
        process = spawn(programs, workingDirectory);
    }

    private static Process spawn(ProgramLocator programs, Path workingDirectory) {
        Optional<Path> python = programs.locate("python").or(() -> programs.locate("python3"));
        if (python.isEmpty()) {
            return null;
        }
        try {
            return new ProcessBuilder(python.get().toString(), "-c", SCRIPT)
                    .directory(workingDirectory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return null;
        }
    }

    /** Blocks until Python answers (at most 30 s); call it off the event loop. */
    @Override
    public boolean collectorInstalled() {
        launch();
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
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
