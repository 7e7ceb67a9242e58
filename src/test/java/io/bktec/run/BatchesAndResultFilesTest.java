package io.bktec.run;

import io.bktec.outcome.Batch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BatchesAndResultFilesTest {
    @Test
    void oneBatchByDefault() {
        assertThat(Batches.split(List.of("a", "b", "c"), 0, 1000)).containsExactly(List.of("a", "b", "c"));
    }

    @Test
    void batchSizeCutsConsecutiveRuns() {
        assertThat(Batches.split(List.of("a", "b", "c", "d", "e"), 2, 1000))
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
    }

    @Test
    void argumentBytesCutToo() {
        // each "xxxx" costs 5 bytes with its NUL
        assertThat(Batches.split(List.of("xxxx", "xxxx", "xxxx"), 0, 10))
                .containsExactly(List.of("xxxx", "xxxx"), List.of("xxxx"));
        // a single oversized test still gets its own batch rather than vanishing
        assertThat(Batches.split(List.of("x".repeat(50)), 0, 10)).hasSize(1);
    }

    @Property
    void batchesKeepEveryTestInOrderWithinBothLimits(@ForAll @Size(max = 40) List<@StringLength(min = 1, max = 30) String> tests,
                                                     @ForAll @IntRange(max = 7) int batchSize,
                                                     @ForAll @IntRange(min = 40, max = 200) int maxBytes) {
        List<List<String>> batches = Batches.split(tests, batchSize, maxBytes);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(tests);
        for (List<String> batch : batches) {
            assertThat(batch).isNotEmpty();
            if (batchSize > 0) {
                assertThat(batch).hasSizeLessThanOrEqualTo(batchSize);
            }
            long bytes = batch.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length + 1L).sum();
            assertThat(bytes <= maxBytes || batch.size() == 1).isTrue();
        }
    }

    @Test
    void withSeveralSlotsTheQueueStartsWithTheHeaviestAndIsCutSoSlotsStayBusy() {
        java.util.Map<String, Double> w = java.util.Map.of("slow.py", 30.0, "a.py", 5.0, "b.py", 5.0, "c.py", 5.0,
                "d.py", 5.0, "e.py", 5.0, "f.py", 5.0);
        List<String> tests = List.of("a.py", "b.py", "c.py", "d.py", "e.py", "f.py", "slow.py");
        List<List<String>> queue = Batches.queue(tests, t -> w.getOrDefault(t, 1.0), true, 0, 2, 10_000);
        // with durations: one batch per slot, packed longest first (30 s each), the slow file's first
        assertThat(queue).containsExactly(List.of("slow.py"), List.of("a.py", "b.py", "c.py", "d.py", "e.py", "f.py"));
        // one slot: the plan's order, one batch
        assertThat(Batches.queue(tests, t -> w.getOrDefault(t, 1.0), true, 0, 1, 10_000)).containsExactly(tests);
        // no durations: count-based, 2 batches per slot (7 tests, 2 slots: batches of 2)
        assertThat(Batches.queue(tests, t -> 1.0, false, 0, 2, 10_000)).hasSize(4);
        // an explicit batch size wins
        assertThat(Batches.queue(tests, t -> w.getOrDefault(t, 1.0), true, 4, 2, 10_000)).hasSize(2);
    }

    @Test
    void temporaryResultFilesAreFreshPerAttemptAndBatch() {
        ResultFiles files = new ResultFiles(Optional.empty(), Path.of("/tmp/bktec-x"), "xml");
        assertThat(files.forBatch(0, 1)).isEqualTo(Path.of("/tmp/bktec-x/attempt-0/batch-1.xml"));
        assertThat(files.forBatch(2, 3)).isEqualTo(Path.of("/tmp/bktec-x/attempt-2/batch-3.xml"));
    }

    @Test
    void userResultPathIsUsedExactlyOnceAndSiblingsAreNamedPredictably() {
        ResultFiles files = new ResultFiles(Optional.of(Path.of("out/results.xml")), Path.of("/tmp/x"), "xml");
        assertThat(files.forBatch(0, 1)).isEqualTo(Path.of("out/results.xml"));
        assertThat(files.forBatch(0, 2)).isEqualTo(Path.of("out/results.batch-2.xml"));
        assertThat(files.forBatch(1, 1)).isEqualTo(Path.of("out/results.retry-1.xml"));
        assertThat(files.forBatch(1, 2)).isEqualTo(Path.of("out/results.retry-1.batch-2.xml"));
        assertThat(ResultFiles.sibling("results", ".retry-1")).isEqualTo("results.retry-1");
        assertThat(ResultFiles.sibling(".hidden", ".batch-2")).isEqualTo(".hidden.batch-2");
    }

    @Test
    void labelsNameRetriesAndBatches() {
        assertThat(new Batch(0, 1, 1, List.of(), Path.of("r"), Path.of("s")).label()).isEqualTo("tests");
        assertThat(new Batch(0, 2, 3, List.of(), Path.of("r"), Path.of("s")).label()).isEqualTo("batch 2/3");
        assertThat(new Batch(1, 1, 1, List.of(), Path.of("r"), Path.of("s")).label()).isEqualTo("retry 1");
        assertThat(new Batch(2, 1, 2, List.of(), Path.of("r"), Path.of("s")).label()).isEqualTo("retry 2 batch 1/2");
        assertThat(new Batch(0, 2, 0, List.of(), Path.of("r"), Path.of("s"), true).label()).isEqualTo("w2");
        assertThat(new Batch(1, 0, 0, List.of(), Path.of("r"), Path.of("s"), true).label()).isEqualTo("retry 1 fork server");
    }

    @Test
    void anAttemptsForkServerKeepsItsFilesInTheRunsOwnDirectoryNeverBesideTheUsers() {
        ResultFiles files = new ResultFiles(Optional.of(Path.of("out/results.xml")), Path.of("/tmp/run"), "xml");
        Batch server = files.forkServer(1, List.of("a.py"));
        assertThat(server.resultFile()).isEqualTo(Path.of("/tmp/run/attempt-1/fork-server.xml"));
        assertThat(server.streamFile()).isEqualTo(Path.of("/tmp/run/attempt-1/fork-server.stream.jsonl"));
        assertThat(ResultFiles.plannedListFor(server)).isEqualTo(Path.of("/tmp/run/attempt-1/fork-server.planned.txt"));
        assertThat(files.forkServerSocket(1)).isEqualTo(Path.of("/tmp/run/attempt-1/fork-server.sock"));
        assertThat(server.label()).isEqualTo("retry 1 fork server");
    }
}
