package io.bktec.discovery;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** testpaths entries are expanded as pytest expands them: checked against Python's own glob when Python is here. */
class PythonGlobTest {
    @TempDir
    Path root;

    private static final List<String> PATTERNS = List.of("tests", "missing", "plugins/*/tests", "plugins/*",
            "**/tests", "plugins/**/test_*.py", "t?sts", "[pt]*", ".hidden/*", "*/a", "tests/unit");

    @Test
    void expandsLikePythonsGlob() throws Exception {
        for (String dir : List.of("tests/unit", "plugins/a/tests", "plugins/b/tests", "plugins/.c/tests", ".hidden/x",
                "other/a")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.writeString(root.resolve("plugins/a/tests/test_x.py"), "");
        Files.writeString(root.resolve("plugins/b/tests/test_y.py"), "");
        assertThat(PythonGlob.expand(root, "plugins/*/tests")).containsExactly("plugins/a/tests", "plugins/b/tests");
        assertThat(PythonGlob.expand(root, "missing")).isEmpty();
        assertThat(PythonGlob.expand(root, "**/tests")).containsExactly("plugins/a/tests", "plugins/b/tests", "tests");

        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", "import glob, sys\nfor p in sys.argv[1:]:\n"
                + "    print('|'.join(sorted(glob.iglob(p, recursive=True))))"));
        command.addAll(PATTERNS);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("python3 is not here: " + e.getMessage());
            return;
        }
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < PATTERNS.size(); i++) {
            String expected = lines.get(i);
            assertThat(String.join("|", PythonGlob.expand(root, PATTERNS.get(i)))).as(PATTERNS.get(i)).isEqualTo(expected);
        }
    }
}
