package io.bktec.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher against scripted workers in virtual time: who gets what, when, and what a crash costs. */
class DispatcherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
    private final List<String> decisions = new CopyOnWriteArrayList<>();
    private final Map<Integer, FakeWorker> workers = new LinkedHashMap<>();
    /** How long each file really takes, in seconds. */
    private final Map<String, Integer> seconds = new LinkedHashMap<>();
    /** A file whose test kills its worker the first time it runs. */
    private String crashingFile;
    private long lastExitMillis;

    @AfterEach
    void resetTime() {
        VirtualTimeScheduler.reset();
    }

    /** A worker that starts its session after 0.2 s, is ready after 1 s, and takes a file's seconds to run it. */
    private final class FakeWorker implements WorkerHandle {
        final int number;
        final Sinks.Many<WorkerEvent> events = Sinks.many().unicast().onBackpressureBuffer();
        final List<String> ran = new ArrayList<>();
        final Set<String> started = new LinkedHashSet<>();
        final List<String> collected = new ArrayList<>();

        FakeWorker(int number, List<WorkItem> collecting) {
            this.number = number;
            collecting.forEach(item -> collected.add(item.file() + "::t"));
        }

        @Override
        public Flux<WorkerEvent> events() {
            later(200, new WorkerEvent.SessionStarted());
            later(1000, new WorkerEvent.Ready());
            return events.asFlux();
        }

        @Override
        public void send(String command) {
            JsonNode line;
            try {
                line = JSON.readTree(command);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (line.path("stop").asBoolean()) {
                later(100, new WorkerEvent.Exited(WorkerEnding.STOPPED, started, collected));
                return;
            }
            String file = line.path("files").isArray() && !line.path("files").isEmpty()
                    ? line.path("files").get(0).asText() : WorkItem.fileOf(line.path("ids").get(0).asText());
            ran.add(file);
            started.add(file + "::t");
            if (file.equals(crashingFile)) {
                crashingFile = null;
                later(500, new WorkerEvent.Exited(WorkerEnding.DIED, started, collected));
                return;
            }
            later(seconds.get(file) * 1000L, new WorkerEvent.Done(line.path("id").asLong()));
        }

        private void later(long millis, WorkerEvent event) {
            time.schedule(() -> {
                if (event instanceof WorkerEvent.Exited) {
                    lastExitMillis = time.now(TimeUnit.MILLISECONDS);
                    events.tryEmitNext(event);
                    events.tryEmitComplete();
                } else {
                    events.tryEmitNext(event);
                }
            }, millis, TimeUnit.MILLISECONDS);
        }
    }

    private Dispatched run(List<WorkItem> items, int slots) {
        WorkQueue queue = new WorkQueue(items, slots, slots);
        Dispatcher dispatcher = new Dispatcher((number, collecting, replacing) -> {
            FakeWorker worker = new FakeWorker(number, collecting);
            workers.put(number, worker);
            return worker;
        }, decisions::add);
        List<Dispatched> result = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> dispatcher.run(queue)).thenAwait(Duration.ofHours(1))
                .consumeNextWith(result::add).verifyComplete();
        return result.get(0);
    }

    private List<WorkItem> files(int count, double weight) {
        List<WorkItem> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(WorkItem.wholeFile("f" + i + ".py", weight));
        }
        return items;
    }

    @Test
    void freeWorkersPullTheNextFileSoAWrongDurationCostsNoIdleCore() {
        // The durations file says every file is equal; f0 really takes 10 s, the nine others 1 s each.
        List<WorkItem> items = files(10, 1);
        items.forEach(item -> seconds.put(item.file(), 1));
        seconds.put("f0.py", 10);
        Dispatched done = run(items, 2);
        assertThat(done.firstEnding()).isEqualTo(WorkerEnding.STOPPED);
        assertThat(done.lost()).isEmpty();
        // w2 started when w1's session began; while w1 ran f0 for 10 s, w2 ran all nine others
        assertThat(workers.get(1).ran).containsExactly("f0.py");
        assertThat(workers.get(2).ran).hasSize(9);
        // 1 s of collecting, then 10 s of f0 (plus the stop): a fixed half each would have taken 15 s
        assertThat(lastExitMillis).isBetween(11_000L, 11_500L);
    }

    @Test
    void longestFirstWithTrueDurationsEndsBothWorkersTogether() {
        List<WorkItem> items = new ArrayList<>();
        int[] durations = {8, 6, 5, 4, 3, 2};
        for (int i = 0; i < durations.length; i++) {
            items.add(WorkItem.wholeFile("f" + i + ".py", durations[i]));
            seconds.put("f" + i + ".py", durations[i]);
        }
        run(items, 2);
        // 28 s of work on two workers: 14 s each, after their second of collecting
        assertThat(lastExitMillis).isBetween(15_000L, 15_500L);
        // w1 is ready first (w2 starts 0.2 s later, once w1's session began), so it takes the longest
        assertThat(workers.get(1).ran).containsExactly("f0.py", "f3.py", "f5.py");
        assertThat(workers.get(2).ran).containsExactly("f1.py", "f2.py", "f4.py");
    }

    @Test
    void aWorkerThatDiesIsReplacedAndEveryFileRunsOnce() {
        List<WorkItem> items = files(6, 1);
        items.forEach(item -> seconds.put(item.file(), 2));
        crashingFile = "f1.py";
        Dispatched queue = run(items, 2);
        assertThat(queue.replacementsUsed()).isEqualTo(1);
        assertThat(workers).containsKey(3);
        List<String> ranAnywhere = workers.values().stream().flatMap(w -> w.ran.stream()).toList();
        assertThat(ranAnywhere).containsExactlyInAnyOrder("f0.py", "f1.py", "f2.py", "f3.py", "f4.py", "f5.py");
        assertThat(queue.lost()).isEmpty();
        // w2 took f1 (w1 was ready first and took f0), died, and w3 took over the four files left
        assertThat(decisions).contains("w2 ended: died", "starting w3 in place of w2, collecting 4 items");
    }
}
