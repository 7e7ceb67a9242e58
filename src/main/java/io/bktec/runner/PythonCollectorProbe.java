package io.bktec.runner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks Python whether {@code buildkite_test_collector} can be imported, as bktec does, but with {@code python3}
 * when there is no {@code python} (bktec then wrongly concludes the collector is missing).
 * <p>
 * Python (often behind a pyenv shim) takes a few hundred milliseconds to answer, so when the answer will probably
 * be needed the probe is started as soon as bktec starts, overlapping the JVM's own start-up, and only waited for
 * when the answer is needed. {@link #close()} kills it if it was never needed, so it cannot outlive bktec.
 * <p>
 * On a machine that runs many jobs the answer rarely changes, so it is kept in a {@link ProbeCache} keyed by the
 * interpreter found on PATH, the working directory and the Python-related environment, and reused while nothing
 * it depends on has changed: the interpreter, every {@code sys.path} directory (installing or removing a package
 * changes its directory), a {@code buildkite_test_collector} beside the tests, and pyenv's version files.
 */
public final class PythonCollectorProbe implements CollectorProbe, AutoCloseable {
    /** Prints the answer, then the absolute {@code sys.path} entries, NUL-separated. */
    private static final String SCRIPT = "import importlib.util, os, sys; sys.stdout.write('\\0'.join("
            + "[str(importlib.util.find_spec('buildkite_test_collector') is not None)]"
            + " + [os.path.abspath(p) for p in sys.path if p]))";
    private static final String MODULE = "buildkite_test_collector";
    /** The variables that change which Python runs or where it imports from (a fixed list: the key is stored). */
    private static final List<String> KEY_VARIABLES = List.of("PATH", "HOME", "PYTHONPATH", "PYTHONHOME",
            "PYTHONUSERBASE", "PYTHONNOUSERSITE", "PYTHONSAFEPATH", "PYTHONPLATLIBDIR", "PYTHONEXECUTABLE",
            "PYENV_VERSION", "PYENV_ROOT", "PYENV_DIR", "VIRTUAL_ENV", "CONDA_PREFIX");
    private final ProgramLocator programs;
    private final Path workingDirectory;
    private final Map<String, String> env;
    private final Optional<ProbeCache> cache;
    private Process process;
    private Path python;
    /** What, besides the files recorded with it, decides the answer: set with {@link #python}. */
    private String cacheKey;
    private volatile Boolean knownAnswer;
    private boolean started;

    private PythonCollectorProbe(ProgramLocator programs, Path workingDirectory, Map<String, String> env,
                                 Optional<ProbeCache> cache) {
        this.programs = programs;
        this.workingDirectory = workingDirectory;
        this.env = env;
        this.cache = cache;
    }

    /** A probe that starts Python now (unless the cache knows the answer), so its start-up overlaps bktec's. */
    public static PythonCollectorProbe start(ProgramLocator programs, Path workingDirectory, Map<String, String> env,
                                             Optional<ProbeCache> cache) {
        PythonCollectorProbe probe = new PythonCollectorProbe(programs, workingDirectory, env, cache);
        probe.launch();
        return probe;
    }

    /** A probe that starts Python only if it is asked (when the answer will probably not be needed). */
    public static PythonCollectorProbe lazy(ProgramLocator programs, Path workingDirectory, Map<String, String> env,
                                            Optional<ProbeCache> cache) {
        return new PythonCollectorProbe(programs, workingDirectory, env, cache);
    }

    /** With no Python on PATH the answer will be "not installed". */
    private synchronized void launch() {
        if (started) {
            return;
        }
        started = true;
        python = programs.python().orElse(null);
        if (python == null) {
            knownAnswer = false;
            return;
        }
        cacheKey = cacheKey(python);
        knownAnswer = cache.flatMap(c -> c.lookup(cacheKey)).orElse(null);
        if (knownAnswer == null) {
            process = spawn(python, workingDirectory);
        }
    }

    private String cacheKey(Path interpreter) {
        StringBuilder key = new StringBuilder(interpreter.toString()).append('\0').append(workingDirectory);
        for (String name : KEY_VARIABLES) {
            key.append('\0').append(name).append('=').append(env.getOrDefault(name, ""));
        }
        return key.toString();
    }

    /** The files whose change could change the answer. */
    List<Path> dependencies(List<String> sysPath) {
        List<Path> files = new ArrayList<>();
        files.add(python);
        for (String entry : sysPath) {
            try {
                files.add(Path.of(entry));
            } catch (java.nio.file.InvalidPathException e) {
                // not a path this JVM can check; the answer's age still limits it
            }
        }
        files.add(workingDirectory.resolve(MODULE));
        files.add(workingDirectory.resolve(MODULE + ".py"));
        for (Path dir = workingDirectory; dir != null; dir = dir.getParent()) {
            files.add(dir.resolve(".python-version"));
        }
        String pyenvRoot = env.getOrDefault("PYENV_ROOT", "");
        if (pyenvRoot.isEmpty() && !env.getOrDefault("HOME", "").isEmpty()) {
            pyenvRoot = env.get("HOME") + "/.pyenv";
        }
        if (!pyenvRoot.isEmpty()) {
            files.add(Path.of(pyenvRoot, "version"));
        }
        return files;
    }

    private static Process spawn(Path python, Path workingDirectory) {
        try {
            return new ProcessBuilder(python.toString(), "-c", SCRIPT)
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
        if (knownAnswer != null) {
            return knownAnswer;
        }
        if (process == null) {
            return false;
        }
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            List<String> fields = List.of(new String(out, StandardCharsets.UTF_8).split("\0", -1));
            String verdict = process.exitValue() == 0 ? fields.get(0).strip() : "";
            boolean installed = verdict.equals("True");
            if (installed || verdict.equals("False")) {
                cache.ifPresent(c -> c.store(cacheKey, installed, dependencies(fields.subList(1, fields.size()))));
            }
            knownAnswer = installed;
            return installed;
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
