package io.bktec.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the shaded jar as a user would, in a given directory with a given environment. */
final class Bktec {
    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final Path JAR = Path.of(System.getProperty("bktec.jar", "target/bktec.jar")).toAbsolutePath();
    static final Path TESTDATA = PROJECT.resolve("testdata");
    static final String COLLECTOR_STANDIN = TESTDATA.resolve("collector-standin").toString();

    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private final Path directory;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> args = new ArrayList<>();
    /** A cgroup to run bktec in (its cgroup.procs file's directory), or null. */
    private Path cgroup;

    private Bktec(Path directory) {
        this.directory = directory;
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("BUILDKITE") && !k.equals("PYTHONPATH") && !k.equals("NO_COLOR")) {
                env.put(k, v);
            }
        });
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        // Third-party pytest plugins installed on the machine (hypothesis, benchmark …) triple pytest's start-up and
        // play no part here; the collector stand-in is loaded explicitly where a test wants it.
        env.put("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1");
        // Each test asks Python afresh unless it is about the remembered answer.
        env.put("BKTEC_CACHE_DIR", "off");
    }

    static Bktec in(String suite) {
        return new Bktec(TESTDATA.resolve(suite));
    }

    /** A copy of a testdata suite (without pytest's caches) to change or write into. */
    static Path copyOf(String suite, Path to) throws java.io.IOException {
        Path from = TESTDATA.resolve(suite);
        try (java.util.stream.Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String relative = from.relativize(path).toString();
                if (relative.contains("__pycache__") || relative.contains(".pytest_cache")) {
                    continue;
                }
                Path target = to.resolve(relative);
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        return to;
    }

    static Bktec in(Path directory) {
        return new Bktec(directory);
    }

    /** This machine's PATH without the directories that hold {@code program} (an agent that is not installed). */
    static String pathWithout(String program) {
        return java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .filter(dir -> !Files.exists(Path.of(dir.isEmpty() ? "." : dir, program)))
                .collect(java.util.stream.Collectors.joining(":"));
    }

    Bktec env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Bktec withCollector() {
        return env("PYTHONPATH", COLLECTOR_STANDIN).env("PYTEST_PLUGINS", "buildkite_test_collector.pytest_plugin");
    }

    /** The collector stand-in found the way an installed collector is: through its entry point. */
    Bktec withInstalledCollector() {
        env.remove("PYTEST_DISABLE_PLUGIN_AUTOLOAD");
        return env("PYTHONPATH", COLLECTOR_STANDIN);
    }

    /** Runs bktec (and so its tests) in this cgroup, by its directory. */
    Bktec inCgroup(Path directory) {
        cgroup = directory;
        return this;
    }

    Bktec args(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** Alive and not a zombie waiting to be reaped by init. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            return !state.equals("Z") && !state.equals("X");
        } catch (IOException e) {
            return false;
        }
    }

    Process start(Path stdout, Path stderr) throws IOException {
        return start(ProcessBuilder.Redirect.to(stdout.toFile()), stderr);
    }

    /** bktec with its stdout a pipe, as under the agent (pytest then writes to it directly at concurrency 1). */
    Result runThroughPipeWith(String... more) throws Exception {
        args(more);
        Path err = Files.createTempFile("bktec-err", ".txt");
        try {
            Process process = start(ProcessBuilder.Redirect.PIPE, err);
            java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("bktec did not finish in 120 s");
            }
            return new Result(process.exitValue(), out.get(30, TimeUnit.SECONDS), Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private Process start(ProcessBuilder.Redirect stdout, Path stderr) throws IOException {
        // The launcher's JVM options (bin/bktec), so the tests run bktec as users do.
        List<String> command = new ArrayList<>();
        if (cgroup != null) {
            command.addAll(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", cgroup.toString()));
        }
        command.addAll(List.of("java", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10",
                "-XX:+UseSerialGC", "-XX:-UsePerfData"));
        Path archive = JAR.resolveSibling("bktec.jsa");
        if (Files.exists(archive)) {
            command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        String jnaPlatform = "linux-" + (System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86-64");
        Path jnaNative = JAR.resolveSibling("bktec-native/com/sun/jna/" + jnaPlatform);
        if (Files.isDirectory(jnaNative)) {
            command.add("-Djna.boot.library.path=" + jnaNative);
        }
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(stdout).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    Result run() throws Exception {
        Path out = Files.createTempFile("bktec-out", ".txt");
        Path err = Files.createTempFile("bktec-err", ".txt");
        try {
            Process process = start(out, err);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("bktec did not finish in 120 s: " + Files.readString(out));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
