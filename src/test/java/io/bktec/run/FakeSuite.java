package io.bktec.run;

import io.bktec.process.ChildExit;
import io.bktec.process.OutputSink;
import io.bktec.process.ProcessInput;
import io.bktec.process.ProcessLauncher;
import io.bktec.results.TestStatus;
import io.bktec.stream.FakeStreamWriter;
import io.bktec.stream.PlannedCollection;
import io.bktec.stream.PytestPlugin;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pretend pytest: expands file arguments into the tests it knows, decides each test's outcome from how many times
 * it has run, writes JUnit XML to the --junit-xml path and exits like pytest (1 when a test failed). Given bktec's
 * stream variable it also writes the results stream as bktec's plugin does. It models two quirks of the real tools:
 * a test whose teardown raises is written to the result file as passed (as buildkite-test-collector's JSON does),
 * and a test that crashes its process leaves no result file and no session end, only its start in the stream. Given
 * bktec's {@code --bktec-planned=FILE} it runs what the file lists, as the plugin makes pytest do; without the plugin it
 * stops on that option with pytest's usage error (exit 4), as pytest does. Given BKTEC_FORK_SERVER it is a fork server:
 * it announces itself and waits for its stop, running nothing and writing no result file; a worker started through
 * the fork client is taken as the fork it asks for (the command after the client's words, with the server's own
 * standard streams replaced), so {@link #forkedWorkers} counts them.
 */
final class FakeSuite implements ProcessLauncher {
    private final Map<String, List<String>> testsByFile;
    private final BiFunction<String, Integer, TestStatus> outcome;
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final List<List<String>> invocations = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> environments = new CopyOnWriteArrayList<>();
    Function<List<String>, Integer> exitOverride = argv -> null;
    boolean writeResults = true;
    /** Tests whose call passes and whose teardown raises. */
    Set<String> teardownErrors = Set.of();
    /** The signal a test kills its process with on its n-th run, or null when it does not. */
    BiFunction<String, Integer, Integer> crashSignal = (nodeId, run) -> null;
    /**
     * Tests that hang on their n-th run: the batch's process waits inside the test (started, setup passed) until
     * bktec's watch kills it ({@link #kill}: SIGKILL), or until a stack signal cuts the blocking call short
     * ({@link #cutShort}, as one does to a C call that holds the GIL), after which the test passes and the process
     * goes on. Each hang that begins releases {@link #hanging}.
     */
    BiFunction<String, Integer, Boolean> hangs = (nodeId, run) -> false;
    final Semaphore hanging = new Semaphore(0);
    /** Each hanging test's process waits on its future: the signal it then dies of, or 0 when its call returns. */
    private final List<CompletableFuture<Integer>> hung = new CopyOnWriteArrayList<>();
    /**
     * Tests that need more memory than the job has on their n-th run: as the kernel's OOM killer does, the count in
     * {@link #oomCount} (a cgroup's {@code memory.events}) grows and the process dies of SIGKILL.
     */
    BiFunction<String, Integer, Boolean> needsMemory = (nodeId, run) -> false;
    Path oomCount;
    /** pytest cannot import bktec's plugin (a wrapper replaced PYTHONPATH): it fails before running anything. */
    boolean pluginImportFails;
    /** A wrapper that starts pytest with an environment of its own: the plugin never loads. */
    boolean dropsEnvironment;
    /** Workers that came as forks of a fork server. */
    final AtomicInteger forkedWorkers = new AtomicInteger();
    /** Fork servers started. */
    final List<List<String>> forkServers = new CopyOnWriteArrayList<>();
    /** pytest's rootdir, which the stream names; the tests run from it. */
    Path rootdir = Path.of("").toAbsolutePath();

    FakeSuite(Map<String, List<String>> testsByFile, BiFunction<String, Integer, TestStatus> outcome) {
        this.testsByFile = testsByFile;
        this.outcome = outcome;
    }

    /** bktec's watch kills the hung processes (its test timed out); false when none was hanging. */
    boolean kill(int pid) {
        return release(9);
    }

    /** The job's cancel reaches the hung processes: they die of its signal. */
    void cancel(int signal) {
        release(signal);
    }

    /** A stack signal interrupts the hung tests' blocking calls: they return, and their tests pass. */
    void cutShort() {
        release(0);
    }

    /** Whether a test is hanging now. */
    boolean hanging() {
        return hung.stream().anyMatch(waiting -> !waiting.isDone());
    }

    private boolean release(int signal) {
        boolean any = false;
        for (CompletableFuture<Integer> waiting : hung) {
            any |= waiting.complete(signal);
        }
        return any;
    }

    private void countOomKill() throws IOException {
        String events = Files.readString(oomCount);
        long kills = Long.parseLong(events.replaceAll("(?s).*oom_kill (\\d+).*", "$1").strip());
        Files.writeString(oomCount, events.replaceAll("oom_kill \\d+", "oom_kill " + (kills + 1)));
    }

    @Override
    public Mono<ChildExit> run(List<String> argv, Map<String, String> environment, OutputSink output) {
        return Mono.fromCallable(() -> execute(argv, environment, output)).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * A worker (BKTEC_WORKER=1 and the plugin loaded): collects its arguments, then runs the tests each command names
     * and answers "done", until "stop". Without the plugin (a wrapper dropped the environment) it is a plain pytest
     * that runs everything, as the real one is.
     */
    @Override
    public Mono<ChildExit> run(List<String> command, Map<String, String> environment, OutputSink output,
                               ProcessInput input) {
        Optional<FakeStreamWriter> stream = dropsEnvironment ? Optional.empty() : FakeStreamWriter.from(environment);
        boolean forked = command.size() > 3 && command.get(2).endsWith("/" + PytestPlugin.FORK_CLIENT);
        if (forked) {
            // the fork client: the server forks the worker, which runs the command's tests as a worker started itself
            assertThat(environment).containsKey("BKTEC_FORK_FROM").containsKey("BKTEC_FORK_SUBSTITUTIONS");
            forkedWorkers.incrementAndGet();
        }
        List<String> argv = forked ? command.subList(3, command.size()) : command;
        if (stream.isEmpty() || pluginImportFails || !"1".equals(environment.get("BKTEC_WORKER"))) {
            return run(argv, environment, output);
        }
        if (environment.containsKey("BKTEC_FORK_SERVER")) {
            forkServers.add(argv);
            FakeStreamWriter writer = stream.get();
            return Mono.<ChildExit>create(sink -> {
                // the real server names its sys.executable; any program that exists here will do, the fake never runs it
                writer.raw("{\"event\":\"fork_server_ready\",\"executable\":\"/bin/sh\"}\n");
                input.connect(line -> {
                    if (line.contains("\"stop\"")) {
                        output.end();
                        sink.success(new ChildExit.Exited(0));
                    }
                });
            }).subscribeOn(Schedulers.boundedElastic());
        }
        invocations.add(argv);
        environments.add(environment);
        return Mono.<ChildExit>create(sink -> {
            Arguments arguments = arguments(argv);
            List<String> tests = arguments.tests();
            FakeStreamWriter writer = stream.get();
            writer.sessionStart(rootdir).collected(tests);
            writer.raw("{\"event\":\"worker_ready\"}\n");
            String results = arguments.resultPath();
            StringBuilder xml = new StringBuilder("<testsuites><testsuite>");
            boolean[] failed = {false};
            input.connect(line -> {
                if (line.contains("\"stop\"")) {
                    xml.append("</testsuite></testsuites>");
                    try {
                        Files.writeString(Path.of(results), xml);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    int code = failed[0] ? 1 : 0;
                    writer.sessionEnd(code);
                    output.end();
                    sink.success(new ChildExit.Exited(code));
                    return;
                }
                long id = Long.parseLong(line.replaceAll(".*\"id\":(\\d+).*", "$1"));
                for (String test : tests) {
                    boolean chosen = line.contains("\"" + test + "\"") || line.contains("\"files\":[\"" + test.substring(0, test.indexOf("::")) + "\"");
                    if (!chosen) {
                        continue;
                    }
                    int run = runs.computeIfAbsent(test, k -> new AtomicInteger()).getAndIncrement();
                    Integer signal = crashSignal.apply(test, run);
                    if (signal != null) {
                        writer.start(test);
                        output.end();
                        sink.success(new ChildExit.Signalled(signal));
                        return;
                    }
                    TestStatus status = outcome.apply(test, run);
                    failed[0] |= status == TestStatus.FAILED;
                    writer.test(test, status == TestStatus.FAILED ? "failed" : status == TestStatus.SKIPPED ? "skipped"
                            : "passed", "passed");
                    xml.append(testcase(test, status));
                }
                writer.raw("{\"event\":\"done\",\"command\":" + id + "}\n");
            });
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** What a command line asks for: the result file, and the tests its files and node ids stand for. */
    private record Arguments(String resultPath, List<String> tests) {
    }

    private Arguments arguments(List<String> argv) {
        String resultPath = null;
        List<String> tests = new ArrayList<>();
        for (String arg : argv.subList(1, argv.size())) {
            if (arg.startsWith("--junit-xml=")) {
                resultPath = arg.substring("--junit-xml=".length());
            } else if (arg.startsWith(PlannedCollection.OPTION + "=")) {
                // bktec's plugin: the directory argument stands for the listed files and node ids
                try {
                    for (String line : Files.readAllLines(Path.of(arg.substring(arg.indexOf('=') + 1)))) {
                        if (!line.isEmpty()) {
                            tests.addAll(expand(line));
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            } else {
                tests.addAll(expand(arg));  // a directory expands to nothing on its own
            }
        }
        return new Arguments(resultPath, tests);
    }

    /** Real pytest without bktec's plugin stops on its option with a usage error (exit 4) before collecting. */
    private static boolean unknownOption(List<String> argv, OutputSink output) {
        for (String arg : argv) {
            if (arg.startsWith(PlannedCollection.OPTION)) {
                output.stderr(ByteBuffer.wrap(("ERROR: usage: pytest [options] [file_or_dir] [file_or_dir] [...]\n"
                        + "pytest: error: unrecognized arguments: " + arg + "\n").getBytes(StandardCharsets.UTF_8)));
                output.end();
                return true;
            }
        }
        return false;
    }

    private List<String> expand(String arg) {
        if (arg.contains("::")) {
            return List.of(arg);
        }
        List<String> tests = new ArrayList<>();
        testsByFile.getOrDefault(arg, List.of()).forEach(name -> tests.add(arg + "::" + name));
        return tests;
    }

    private static String testcase(String nodeId, TestStatus status) {
        String file = nodeId.substring(0, nodeId.indexOf("::"));
        return "<testcase classname=\"" + file.substring(0, file.length() - 3) + "\" name=\""
                + nodeId.substring(nodeId.lastIndexOf("::") + 2) + "\">"
                + (status == TestStatus.FAILED ? "<failure message=\"boom\"/>" : status == TestStatus.SKIPPED ? "<skipped/>" : "")
                + "</testcase>";
    }

    private ChildExit execute(List<String> argv, Map<String, String> environment, OutputSink output) throws IOException {
        invocations.add(argv);
        environments.add(environment);
        if (pluginImportFails && environment.containsKey(PytestPlugin.STREAM_VARIABLE)) {
            output.stderr(ByteBuffer.wrap(("ImportError: Error importing plugin \"" + PytestPlugin.MODULE
                    + "\": No module named '" + PytestPlugin.MODULE + "'\n").getBytes(StandardCharsets.UTF_8)));
            output.end();
            return new ChildExit.Exited(1);
        }
        Optional<FakeStreamWriter> stream = dropsEnvironment ? Optional.empty() : FakeStreamWriter.from(environment);
        if (stream.isEmpty() && unknownOption(argv, output)) {
            return new ChildExit.Exited(4);
        }
        Arguments arguments = arguments(argv);
        String resultPath = arguments.resultPath();
        List<String> tests = arguments.tests();
        // the plugin arms its stack signal (the real one names SIGRTMIN+6)
        stream.ifPresent(s -> s.sessionStart(rootdir).raw("{\"event\":\"stacks\",\"signal\":40}\n").collected(tests));
        StringBuilder xml = new StringBuilder("<testsuites><testsuite>");
        boolean failed = false;
        for (String nodeId : tests) {
            int run = runs.computeIfAbsent(nodeId, k -> new AtomicInteger()).getAndIncrement();
            Integer signal = crashSignal.apply(nodeId, run);
            if (signal != null) {
                stream.ifPresent(s -> s.start(nodeId).report(nodeId, "setup", "passed", ""));
                output.end();
                return new ChildExit.Signalled(signal);
            }
            if (needsMemory.apply(nodeId, run)) {
                stream.ifPresent(s -> s.start(nodeId).report(nodeId, "setup", "passed", ""));
                countOomKill();
                output.end();
                return new ChildExit.Signalled(9);
            }
            if (hangs.apply(nodeId, run)) {
                stream.ifPresent(s -> s.start(nodeId).report(nodeId, "setup", "passed", ""));
                CompletableFuture<Integer> waiting = new CompletableFuture<>();
                hung.add(waiting);
                hanging.release();
                int diedOf = waiting.join();
                if (diedOf != 0) {
                    output.end();
                    return new ChildExit.Signalled(diedOf);
                }
                stream.ifPresent(s -> s.report(nodeId, "call", "passed", "").report(nodeId, "teardown", "passed", ""));
                xml.append(testcase(nodeId, TestStatus.PASSED));
                continue;
            }
            TestStatus status = outcome.apply(nodeId, run);
            boolean teardownError = teardownErrors.contains(nodeId);
            failed |= status == TestStatus.FAILED || teardownError;
            String call = status == TestStatus.FAILED ? "failed" : status == TestStatus.SKIPPED ? "skipped" : "passed";
            stream.ifPresent(s -> s.test(nodeId, call, teardownError ? "failed" : "passed"));
            xml.append(testcase(nodeId, status));
        }
        xml.append("</testsuite></testsuites>");
        if (writeResults && resultPath != null) {
            Files.writeString(Path.of(resultPath), xml);
        }
        output.stdout(ByteBuffer.wrap(("ran " + tests.size() + " tests\n").getBytes(StandardCharsets.UTF_8)));
        output.end();
        Integer override = exitOverride.apply(argv);
        int code = override != null ? override : failed ? 1 : 0;
        stream.ifPresent(s -> s.sessionEnd(code));
        return new ChildExit.Exited(code);
    }
}
