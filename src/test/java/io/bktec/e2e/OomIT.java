package io.bktec.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test the kernel's OOM killer ends is named so and runs once more alone, after the others, and what it does alone
 * is its result. bktec and its tests run in a memory cgroup of their own (v1, 700 MiB) where the machine lets one be
 * made; elsewhere the kernel's evidence is stood in for (testdata/oom: the test raises the count and kills itself).
 */
class OomIT {
    private static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");
    private static final long LIMIT = 700L << 20;

    @TempDir
    Path tmp;

    private Path cgroup;

    /** The cgroup, or null where none can be made here. */
    private Path memoryCgroup() {
        Path directory = MEMORY.resolve("bktec-oom-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectory(directory);
            Files.writeString(directory.resolve("memory.limit_in_bytes"), Long.toString(LIMIT));
            if (Files.exists(directory.resolve("memory.memsw.limit_in_bytes"))) {
                Files.writeString(directory.resolve("memory.memsw.limit_in_bytes"), Long.toString(LIMIT));
            }
            return directory;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    @AfterEach
    void removeCgroup() throws Exception {
        if (cgroup != null) {
            for (int i = 0; i < 50 && !Files.readString(cgroup.resolve("cgroup.procs")).isBlank(); i++) {
                Thread.sleep(100);
            }
            Files.deleteIfExists(cgroup);
        }
    }

    /**
     * bktec at concurrency 2 on the oom suite, in a memory cgroup (skipped where none can be made) or with the
     * kernel's evidence stood in for.
     */
    private Bktec.Result run(boolean once, boolean realCgroup) throws Exception {
        Path suite = Bktec.copyOf("oom", tmp.resolve("suite"));
        Files.createDirectories(tmp.resolve("once"));
        Bktec bktec = Bktec.in(suite).env("BUILDKITE_TEST_ENGINE_CONCURRENCY", "2");
        if (once) {
            bktec.env("OOM_ONCE_DIR", tmp.resolve("once").toString());
        }
        if (realCgroup) {
            cgroup = memoryCgroup();
            Assumptions.assumeTrue(cgroup != null, "this machine lets no memory cgroup be made");
            bktec.inCgroup(cgroup);
        } else {
            Path evidence = standIn();
            bktec.env("BKTEC_CGROUP_ROOT", tmp.resolve("cgroup-root").toString()).env("OOM_STAND_IN", evidence.toString());
        }
        return bktec.args("run").run();
    }

    /** The file the kernel would count OOM kills in, for this process's cgroup, under a root of the test's own. */
    private Path standIn() throws IOException {
        List<String[]> lines = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().map(l -> l.split(":", 3)).toList();
        Optional<String[]> v1 = lines.stream().filter(parts -> parts[1].equals("memory")).findFirst();
        String[] membership = v1.orElseGet(() -> lines.stream().filter(parts -> parts[1].isEmpty()).findFirst()
                .orElseThrow());
        Path root = tmp.resolve("cgroup-root");
        Path directory = (v1.isPresent() ? root.resolve("memory") : root).resolve(membership[2].replaceFirst("^/", ""));
        Path file = Files.createDirectories(directory).resolve(v1.isPresent() ? "memory.oom_control" : "memory.events");
        Files.writeString(file, "oom_kill 0\n");
        return file;
    }

    @ParameterizedTest(name = "in a memory cgroup: {0}")
    @ValueSource(booleans = {true, false})
    void aTestKilledForMemoryRunsOnceMoreAloneAndThatRunIsItsResult(boolean realCgroup) throws Exception {
        Bktec.Result r = run(true, realCgroup);
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.all()).contains("tests/test_memory.py::test_needs_memory was killed by the kernel for want of "
                        + "memory (SIGKILL)")
                .contains("1 test was killed by the kernel for want of memory: running it once more, alone")
                .contains("alone: it was killed for want of memory").contains("Total                     4");
        assertThat(r.all()).doesNotContain("crashed");
    }

    @ParameterizedTest(name = "in a memory cgroup: {0}")
    @ValueSource(booleans = {true, false})
    void aTestKilledForMemoryAloneTooFails(boolean realCgroup) throws Exception {
        Bktec.Result r = run(false, realCgroup);
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("tests/test_memory.py::test_needs_memory  (killed by the kernel for want of "
                + "memory (SIGKILL))").contains("Passed (first run)        3");
        assertThat(List.of(r.all().split("\n")).stream().filter(l -> l.contains("test_needs_memory was killed by the kernel")))
                .as("killed twice: with the others, and alone").hasSize(2);
    }
}
