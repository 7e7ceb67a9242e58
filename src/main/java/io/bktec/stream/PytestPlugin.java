package io.bktec.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * bktec's own pytest plugin (the package src/main/python/bktec_pytest, packed in the jar): written into the run's
 * private temporary directory, and loaded into every pytest process through the environment, so that it reaches
 * pytest behind wrappers ({@code sh -c}, {@code poetry run}, {@code make}) that keep the environment. What bktec and
 * the plugin say to each other is specified in the package's protocol.py.
 */
public final class PytestPlugin {
    /** The package name, as PYTEST_PLUGINS names it. */
    public static final String MODULE = "bktec_pytest";
    /** Names the file the plugin appends its events to; unset, the plugin does nothing. */
    public static final String STREAM_VARIABLE = "BKTEC_RESULTS_STREAM_FILE";
    /** Names the file the plugin's faulthandler writes every thread's stack to, on bktec's signal. */
    public static final String STACKS_VARIABLE = "BKTEC_STACKS_FILE";
    /** Starts a worker as a fork of a fork server, or runs its command itself: a script of the package. */
    public static final String FORK_CLIENT = MODULE + "/fork_client.py";
    /** Combines every test process's coverage data at the end of a run: a script of the package. */
    public static final String COVERAGE_COMBINER = MODULE + "/coverage_combine.py";
    /** The package's modules, as the jar holds them under /python/bktec_pytest (a test checks this against src). */
    static final List<String> MODULES = List.of("__init__.py", "protocol.py", "inherited.py", "stream.py",
            "reporting.py", "planned.py", "worker.py", "fork_server.py", "forked_worker.py", "fork_client.py",
            "identity.py", "coverage_parts.py", "coverage_combine.py", "hangs.py");

    private PytestPlugin() {
    }

    /** Writes the plugin's package into {@code <temporaryDirectory>/python} and returns that directory. */
    public static Path install(Path temporaryDirectory) throws IOException {
        Path directory = temporaryDirectory.resolve("python");
        Path packageDirectory = Files.createDirectories(directory.resolve(MODULE));
        for (String file : MODULES) {
            String resource = "/python/" + MODULE + "/" + file;
            try (InputStream source = PytestPlugin.class.getResourceAsStream(resource)) {
                if (source == null) {
                    throw new IOException(resource + " is missing from bktec's jar");
                }
                Files.copy(source, packageDirectory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return directory;
    }

    /**
     * The variables that load the plugin into pytest and name its stream file: the plugin's directory in front of
     * the user's PYTHONPATH, and the package after the user's PYTEST_PLUGINS.
     */
    public static Map<String, String> environment(Path pluginDirectory, Path streamFile, Map<String, String> base) {
        Map<String, String> env = new HashMap<>();
        String pythonPath = base.getOrDefault("PYTHONPATH", "");
        env.put("PYTHONPATH", pythonPath.isEmpty() ? pluginDirectory.toString() : pluginDirectory + ":" + pythonPath);
        String plugins = base.getOrDefault("PYTEST_PLUGINS", "").strip();
        boolean listed = java.util.Arrays.stream(plugins.split(",")).anyMatch(p -> p.strip().equals(MODULE));
        env.put("PYTEST_PLUGINS", plugins.isEmpty() ? MODULE : listed ? plugins : plugins + "," + MODULE);
        env.put(STREAM_VARIABLE, streamFile.toString());
        env.put(STACKS_VARIABLE, stacksFile(streamFile).toString());
        return env;
    }

    /** {@code batch-1.stream.jsonl} → {@code batch-1.stacks.txt}: where the process's stacks go. */
    public static Path stacksFile(Path streamFile) {
        String name = streamFile.getFileName().toString();
        String base = name.endsWith(".stream.jsonl") ? name.substring(0, name.length() - ".stream.jsonl".length()) : name;
        return streamFile.resolveSibling(base + ".stacks.txt");
    }
}
