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
 * bktec's own pytest plugin (src/main/python/bktec_pytest.py, packed in the jar): written into the run's private
 * temporary directory, and loaded into every pytest process through the environment, so that it reaches pytest
 * behind wrappers ({@code sh -c}, {@code poetry run}, {@code make}) that keep the environment.
 */
public final class PytestPlugin {
    /** The module name, as PYTEST_PLUGINS names it. */
    public static final String MODULE = "bktec_pytest";
    /** Names the file the plugin appends its events to; unset, the plugin does nothing. */
    public static final String STREAM_VARIABLE = "BKTEC_RESULTS_STREAM_FILE";
    /** Starts a worker as a fork of a fork server, or runs its command itself (src/main/python/bktec_fork.py). */
    public static final String FORK_CLIENT = "bktec_fork.py";

    private PytestPlugin() {
    }

    /** Writes the plugin and the fork client into {@code <temporaryDirectory>/python} and returns that directory. */
    public static Path install(Path temporaryDirectory) throws IOException {
        Path directory = Files.createDirectories(temporaryDirectory.resolve("python"));
        for (String file : List.of(MODULE + ".py", FORK_CLIENT)) {
            try (InputStream source = PytestPlugin.class.getResourceAsStream("/python/" + file)) {
                if (source == null) {
                    throw new IOException("/python/" + file + " is missing from bktec's jar");
                }
                Files.copy(source, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return directory;
    }

    /**
     * The variables that load the plugin into pytest and name its stream file: the plugin's directory in front of
     * the user's PYTHONPATH, and the module after the user's PYTEST_PLUGINS.
     */
    public static Map<String, String> environment(Path pluginDirectory, Path streamFile, Map<String, String> base) {
        Map<String, String> env = new HashMap<>();
        String pythonPath = base.getOrDefault("PYTHONPATH", "");
        env.put("PYTHONPATH", pythonPath.isEmpty() ? pluginDirectory.toString() : pluginDirectory + ":" + pythonPath);
        String plugins = base.getOrDefault("PYTEST_PLUGINS", "").strip();
        boolean listed = java.util.Arrays.stream(plugins.split(",")).anyMatch(p -> p.strip().equals(MODULE));
        env.put("PYTEST_PLUGINS", plugins.isEmpty() ? MODULE : listed ? plugins : plugins + "," + MODULE);
        env.put(STREAM_VARIABLE, streamFile.toString());
        return env;
    }
}
