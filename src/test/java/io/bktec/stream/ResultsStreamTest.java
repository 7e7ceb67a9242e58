package io.bktec.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsStreamTest {
    @TempDir
    Path tmp;

    @Test
    void eventsArriveWhileTheProcessRunsAndWhatItWroteLastIsReadAfterItEnds() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ResultsStream streams = ResultsStream.using(tmp.resolve("python"), Map.of(), TestStream.ScopeStyle.COLLECTOR,
                tmp, Duration.ofMillis(200), time);
        Path file = tmp.resolve("s.jsonl");
        FakeStreamWriter writer = new FakeStreamWriter(file);
        Sinks.One<Object> ended = Sinks.one();
        StepVerifier.create(streams.follow(file, ended.asMono()))
                .then(() -> writer.sessionStart(tmp).start("a.py::t"))
                .expectNoEvent(Duration.ofMillis(50)) // nothing is read before the first poll
                .then(() -> time.advanceTimeBy(Duration.ofMillis(200)))
                .expectNextMatches(e -> e instanceof StreamEvent.SessionStart)
                .expectNext(new StreamEvent.TestStart("a.py::t"))
                .then(() -> {
                    writer.raw("not an event\n").sessionEnd(0).raw("{\"event\":\"start\",\"nodeid\":\"cut");
                    ended.tryEmitValue(0);
                })
                .expectNext(new StreamEvent.SessionEnd(0)) // the half-written last line is never read
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aStreamFileThatCannotBeReadEndsAsAPluginFaultSoNoCrashIsInvented() throws Exception {
        ResultsStream streams = ResultsStream.using(tmp.resolve("python"), Map.of(), TestStream.ScopeStyle.COLLECTOR,
                tmp, Duration.ofMillis(200), VirtualTimeScheduler.create());
        Path directory = Files.createDirectory(tmp.resolve("a-directory"));
        StepVerifier.create(streams.follow(directory, reactor.core.publisher.Mono.just(0)))
                .expectNextMatches(e -> e instanceof StreamEvent.PluginError p && p.message().contains("could not read"))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void offGivesNoEnvironmentAndAnInstalledPluginGivesOneThatLoadsIt() {
        assertThat(ResultsStream.off().environment(tmp.resolve("s"))).isEmpty();
        ResultsStream streams = ResultsStream.using(tmp.resolve("python"), Map.of("PYTHONPATH", "src"),
                TestStream.ScopeStyle.JUNIT, tmp, Duration.ofMillis(200), VirtualTimeScheduler.create());
        assertThat(streams.environment(tmp.resolve("s"))).hasValueSatisfying(env ->
                assertThat(env).containsEntry("PYTHONPATH", tmp.resolve("python") + ":src"));
        assertThat(streams.installed()).isTrue();
        assertThat(ResultsStream.off().installed()).isFalse();
    }
}
