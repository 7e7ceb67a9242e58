package io.bktec.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bktec.process.ChildExit;
import io.bktec.process.OutputSink;
import io.bktec.process.ProcessInput;
import io.bktec.process.ProcessLauncher;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.TestStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ForkServerTest {
    @TempDir
    Path tmp;

    private static final List<ForkServer.Substitution> PATHS = List.of(
            new ForkServer.Substitution("/t/attempt-0/fork-server.xml", "/t/attempt-0/batch-2.xml"),
            new ForkServer.Substitution("/t/attempt-0/fork-server.planned.txt", "/t/attempt-0/batch-2.planned.txt"));
    private static final List<String> SERVER = List.of("pytest", "tests", "--bktec-planned=/t/attempt-0/fork-server.planned.txt",
            "--junit-xml", "/t/attempt-0/fork-server.xml");

    @Test
    void aWorkerWhoseCommandIsTheServersButForItsOwnFilesIsForked() {
        ForkServer.Ready ready = new ForkServer.Ready(SERVER, "/venv/bin/python3", Path.of("/t/s.sock"), Path.of("/p/bktec_pytest/fork_client.py"));
        List<String> worker = List.of("pytest", "tests", "--bktec-planned=/t/attempt-0/batch-2.planned.txt",
                "--junit-xml", "/t/attempt-0/batch-2.xml");
        assertThat(ready.attach(worker, PATHS)).hasValue(List.of("/venv/bin/python3", "-S", "/p/bktec_pytest/fork_client.py", "pytest",
                "tests", "--bktec-planned=/t/attempt-0/batch-2.planned.txt", "--junit-xml", "/t/attempt-0/batch-2.xml"));
    }

    @Test
    void aWorkerWhoseCommandDiffersInAnythingElseStartsOnItsOwn() {
        ForkServer.Ready ready = new ForkServer.Ready(SERVER, "python3", Path.of("/t/s.sock"), Path.of("/p/bktec_pytest/fork_client.py"));
        // another directory: its rootdir and conftest files might not be the server's
        assertThat(ready.attach(List.of("pytest", "tests/sub", "--bktec-planned=/t/attempt-0/batch-2.planned.txt",
                "--junit-xml", "/t/attempt-0/batch-2.xml"), PATHS)).isEmpty();
        // a result path the template turned into something else
        assertThat(ready.attach(List.of("pytest", "tests", "--bktec-planned=/t/attempt-0/batch-2.planned.txt",
                "--junit-xml", "/t/attempt-0/batch-2.xml.gz"), PATHS)).isEmpty();
        assertThat(ready.attach(List.of("pytest", "tests"), PATHS)).isEmpty();
    }

    @Property
    void substitutingNothingChangesNothingAndSubstitutingBackRestores(
            @ForAll List<@StringLength(max = 12) String> words) {
        assertThat(ForkServer.substituted(words, List.of())).isEqualTo(words);
        List<String> withPath = new ArrayList<>(words);
        withPath.add("--out=/srv/X.xml");
        List<String> there = ForkServer.substituted(withPath, List.of(new ForkServer.Substitution("/srv/X.xml", "/w/Y.xml")));
        assertThat(there.get(there.size() - 1)).isEqualTo("--out=/w/Y.xml");
        assertThat(there.subList(0, words.size())).isEqualTo(ForkServer.substituted(words,
                List.of(new ForkServer.Substitution("/srv/X.xml", "/w/Y.xml"))));
    }

    @Test
    void aSocketPathMustFitInAUnixSocketAddress() {
        assertThat(ForkServer.socketFits(Path.of("/" + "a".repeat(99)))).isTrue();
        assertThat(ForkServer.socketFits(Path.of("/" + "a".repeat(100)))).isFalse();
        assertThat(ForkServer.socketFits(Path.of("/" + "é".repeat(50)))).as("bytes, not characters").isFalse();
    }

    @Test
    void theClientIsToldItsServerAndItsPathsAsJsonPairs() throws Exception {
        ForkServer.Ready ready = new ForkServer.Ready(SERVER, "python3", tmp.resolve("s.sock"), Path.of("/p/c.py"));
        List<ForkServer.Substitution> odd = List.of(new ForkServer.Substitution("/a \"quoted\"\\path", "/b\n"));
        Map<String, String> env = ready.clientEnvironment(odd);
        assertThat(env).containsEntry(ForkServer.CONNECT_VARIABLE, tmp.resolve("s.sock").toString());
        assertThat(new ObjectMapper().readValue(env.get(ForkServer.SUBSTITUTIONS_VARIABLE), List.class))
                .isEqualTo(List.of(List.of("/a \"quoted\"\\path", "/b\n")));
    }

    @Test
    void theWorkRunsWithTheServerOnceItIsReadyThenTheServerIsStopped() {
        Path python = executable("python3.11");
        FakeServer fake = new FakeServer("{\"event\":\"fork_server_ready\",\"executable\":\"" + python + "\"}\n");
        AtomicReference<ForkServer.Served> seen = new AtomicReference<>();
        ForkServer server = server(fake, List.of("pytest", "tests"));
        StepVerifier.create(server.around(ready -> {
                    seen.set(ready);
                    assertThat(fake.lines).isEmpty(); // not stopped while the work runs
                    return Mono.just("ran");
                }))
                .expectNext("ran").expectComplete().verify(Duration.ofSeconds(10));
        assertThat(seen.get()).isInstanceOfSatisfying(ForkServer.Ready.class, r -> {
            assertThat(r.executable()).isEqualTo(python.toString());
            assertThat(r.serverArgv()).containsExactly("pytest", "tests");
            assertThat(r.socket()).isEqualTo(tmp.resolve("s.sock"));
        });
        assertThat(fake.lines).containsExactly(WorkerCommand.stop());
        assertThat(fake.environment).containsEntry(ForkServer.SERVER_VARIABLE, tmp.resolve("s.sock").toString())
                .containsEntry(PytestWorker.WORKER_VARIABLE, "1").containsEntry("PYTEST_XDIST_WORKER", "gw0")
                .containsEntry("COVERAGE_FILE", tmp.resolve("server.jsonl.coverage").toString());
    }

    @Test
    void aServerThatEndsOrCannotServeLeavesTheWorkToStartWithoutIt() throws Exception {
        // ended without a word, said it cannot serve, or named a Python that is not here (it runs in a container)
        Map<String, String> why = Map.of("", "it ended before it was ready",
                "{\"event\":\"fork_server_unavailable\",\"reason\":\"no\"}\n", "no",
                "{\"event\":\"fork_server_ready\",\"executable\":\"" + tmp.resolve("not/here/python3") + "\"}\n",
                "its Python, " + tmp.resolve("not/here/python3") + ", is not on this machine");
        for (String written : why.keySet()) {
            Files.deleteIfExists(tmp.resolve("server.jsonl")); // the last server's words are not this one's
            FakeServer fake = new FakeServer(written);
            fake.endAtOnce = !written.contains("ready");
            AtomicReference<ForkServer.Served> seen = new AtomicReference<>();
            StepVerifier.create(server(fake, List.of("pytest")).around(ready -> {
                        seen.set(ready);
                        return Mono.just(1);
                    }))
                    .expectNext(1).expectComplete().verify(Duration.ofSeconds(10));
            assertThat(seen.get()).as(written).isEqualTo(new ForkServer.NotServing(why.get(written)));
        }
    }

    @Test
    void aServerThatIgnoresItsStopIsKilledAfterTheGracePeriod() {
        FakeServer fake = new FakeServer("{\"event\":\"fork_server_ready\",\"executable\":\"" + executable("python3")
                + "\"}\n");
        fake.ignoreStop = true;
        StepVerifier.withVirtualTime(() -> server(fake, List.of("pytest")).around(ready -> Mono.just("ran")))
                .thenAwait(ForkServer.STOP_GRACE.minusMillis(100))
                .then(() -> assertThat(fake.cancelled).isFalse())
                .thenAwait(Duration.ofMillis(200))
                .expectNext("ran").expectComplete().verify(Duration.ofSeconds(10));
        assertThat(fake.cancelled).isTrue();
    }

    private Path executable(String name) {
        try {
            Path file = Files.createDirectories(tmp.resolve("bin")).resolve(name);
            Files.writeString(file, "#!/bin/sh\n");
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ForkServer server(FakeServer fake, List<String> argv) {
        fake.streamFile = tmp.resolve("server.jsonl");
        ResultsStream streams = ResultsStream.using(tmp.resolve("python"), Map.of(), TestStream.ScopeStyle.JUNIT, tmp,
                Duration.ofMillis(5), Schedulers.boundedElastic());
        return new ForkServer(fake, streams, () -> new WorkerLaunch(argv, Map.of("PYTEST_XDIST_WORKER", "gw0")),
                new DroppedOutput(), fake.streamFile, tmp.resolve("s.sock"));
    }

    /** A fork server process: writes its announcement when started, ends when told to stop (or at once). */
    private static final class FakeServer implements ProcessLauncher {
        final String announcement;
        final List<String> lines = new CopyOnWriteArrayList<>();
        Path streamFile;
        Map<String, String> environment;
        boolean endAtOnce;
        boolean ignoreStop;
        volatile boolean cancelled;

        FakeServer(String announcement) {
            this.announcement = announcement;
        }

        @Override
        public Mono<ChildExit> run(List<String> argv, Map<String, String> environment, OutputSink output) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<ChildExit> run(List<String> argv, Map<String, String> env, OutputSink output, ProcessInput input) {
            return Mono.defer(() -> {
                environment = env;
                try {
                    Files.writeString(streamFile, announcement, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (java.io.IOException e) {
                    return Mono.error(e);
                }
                if (endAtOnce) {
                    return Mono.just(new ChildExit.Exited(0));
                }
                Sinks.One<ChildExit> exit = Sinks.one();
                input.connect(line -> {
                    lines.add(line);
                    if (!ignoreStop) {
                        exit.tryEmitValue(new ChildExit.Exited(0));
                    }
                });
                return exit.asMono().doOnCancel(() -> cancelled = true);
            });
        }
    }

    private static final class DroppedOutput implements OutputSink {
        @Override
        public void stdout(ByteBuffer bytes) {
        }

        @Override
        public void stderr(ByteBuffer bytes) {
        }

        @Override
        public void end() {
        }
    }
}
