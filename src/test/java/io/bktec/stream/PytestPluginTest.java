package io.bktec.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PytestPluginTest {
    /** The package as the source tree holds it (tests run in the project's directory). */
    private static final Path SOURCE = Path.of("src/main/python/bktec_pytest");

    @TempDir
    Path tmp;

    @Test
    void installWritesThePluginsWholePackageFromTheJarIntoTheRunsDirectory() throws Exception {
        Path directory = PytestPlugin.install(tmp);
        assertThat(directory).isEqualTo(tmp.resolve("python"));
        Path installed = directory.resolve("bktec_pytest");
        assertThat(Files.readString(installed.resolve("__init__.py"))).contains("def pytest_configure(config):");
        assertThat(Files.readString(installed.resolve("protocol.py"))).contains("BKTEC_RESULTS_STREAM_FILE");
        assertThat(directory.resolve(PytestPlugin.FORK_CLIENT)).isRegularFile();
        for (String module : PytestPlugin.MODULES) {
            assertThat(installed.resolve(module)).hasSameTextualContentAs(SOURCE.resolve(module));
        }
    }

    @Test
    void theJarCarriesEveryModuleOfThePackage() throws Exception {
        try (var files = Files.list(SOURCE)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".py")))
                    .containsExactlyInAnyOrderElementsOf(PytestPlugin.MODULES);
        }
    }

    @Test
    void theEnvironmentPutsThePluginFirstOnPythonPathAndAfterTheUsersPlugins() {
        Path plugin = Path.of("/tmp/run/python");
        Path stream = Path.of("/tmp/run/attempt-0/batch-1.stream.jsonl");
        assertThat(PytestPlugin.environment(plugin, stream, Map.of())).isEqualTo(Map.of(
                "PYTHONPATH", "/tmp/run/python", "PYTEST_PLUGINS", "bktec_pytest",
                "BKTEC_RESULTS_STREAM_FILE", stream.toString(),
                "BKTEC_STACKS_FILE", "/tmp/run/attempt-0/batch-1.stacks.txt"));
        Map<String, String> users = Map.of("PYTHONPATH", "src:lib", "PYTEST_PLUGINS", "myplugin, other ");
        assertThat(PytestPlugin.environment(plugin, stream, users))
                .containsEntry("PYTHONPATH", "/tmp/run/python:src:lib")
                .containsEntry("PYTEST_PLUGINS", "myplugin, other,bktec_pytest");
        assertThat(PytestPlugin.environment(plugin, stream, Map.of("PYTEST_PLUGINS", "a,bktec_pytest")))
                .containsEntry("PYTEST_PLUGINS", "a,bktec_pytest");
    }
}
