package io.bktec.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Two bktec runs at once in one directory (two jobs on one agent) keep their files apart and clean up. */
class ConcurrentRunsIT {
    @TempDir
    Path tmp;

    @Test
    void twoRunsInOneDirectoryNeitherShareNorClobberFilesAndLeaveNoTempDirs() throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        Path results = tmp.resolve("out/results.xml");
        Process[] runs = new Process[2];
        Path[] outs = new Path[2];
        for (int i = 0; i < 2; i++) {
            Path state = Files.createDirectories(tmp.resolve("state" + i));
            outs[i] = tmp.resolve("out" + i + ".txt");
            runs[i] = Bktec.in("flaky").env("TMPDIR", tmpdir.toString()).env("FLAKY_STATE_DIR", state.toString())
                    .env("BUILDKITE_TEST_ENGINE_RESULT_PATH", results.toString())
                    .env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").start(outs[i], tmp.resolve("err" + i + ".txt"));
        }
        for (int i = 0; i < 2; i++) {
            assertThat(runs[i].waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(runs[i].exitValue()).as(Files.readString(outs[i])).isZero();
            assertThat(Files.readString(outs[i])).contains("Passed on retry           1");
        }
        try (Stream<Path> left = Files.list(tmpdir)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("bktec-"))).isEmpty();
        }
        try (Stream<Path> files = Files.list(results.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml")))
                    .hasSizeGreaterThanOrEqualTo(2).contains("results.xml", "results.retry-1.xml")
                    .noneMatch(n -> n.endsWith(".bktec-lock"));
        }
    }

    @Test
    void aSecondRunFindsTheResultPathTakenAndWritesItsOwnSiblings() throws Exception {
        Path results = tmp.resolve("results.xml");
        Path lock = tmp.resolve("results.xml.bktec-lock");
        try (var channel = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); var held = channel.lock()) {
            Bktec.Result r = Bktec.in("flaky").env("FLAKY_STATE_DIR", tmp.toString()).env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1")
                    .env("BUILDKITE_TEST_ENGINE_RESULT_PATH", results.toString()).args("run").run();
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stderr()).contains("another bktec run is writing");
            assertThat(results).doesNotExist();
            try (Stream<Path> files = Files.list(tmp)) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("results\\.pid\\d+\\.xml"));
            }
        }
    }

    @Test
    void debugKeepsTheTemporaryFilesAndSaysWhere() throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        Bktec.Result r = Bktec.in("flaky").env("TMPDIR", tmpdir.toString()).env("FLAKY_STATE_DIR", tmp.toString())
                .env("BUILDKITE_TEST_ENGINE_DEBUG_ENABLED", "true").env("BUILDKITE_TEST_ENGINE_RETRY_COUNT", "1").args("run").run();
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("result files kept in " + tmpdir);
        List<Path> kept;
        try (Stream<Path> left = Files.list(tmpdir)) {
            kept = left.filter(p -> p.getFileName().toString().startsWith("bktec-")).toList();
        }
        assertThat(kept).hasSize(1);
        // Results and logs of the tests: readable by the user who ran bktec only.
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kept.get(0))))
                .isEqualTo("rwx------");
    }

    @Test
    void runsAtOnceEachGetTheirOwnTemporaryDirectory() throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        List<Bktec.Result> results = java.util.stream.IntStream.range(0, 3).parallel()
                .mapToObj(i -> {
                    try {
                        return Bktec.in("flaky").env("TMPDIR", tmpdir.toString())
                                .env("FLAKY_STATE_DIR", Files.createDirectories(tmp.resolve("state" + i)).toString())
                                .env("BUILDKITE_TEST_ENGINE_DEBUG_ENABLED", "true").args("run").run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
        List<String> kept = results.stream()
                .map(r -> r.stdout().lines().filter(l -> l.contains("result files kept in ")).findFirst().orElse(r.all()))
                .toList();
        assertThat(kept).doesNotHaveDuplicates().allMatch(l -> l.contains("result files kept in " + tmpdir + "/bktec-"));
        try (Stream<Path> left = Files.list(tmpdir)) {
            assertThat(left).hasSize(3);
        }
    }
}
