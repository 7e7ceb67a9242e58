package io.bktec.run;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a node's tests into consecutive batches: at most {@code batchSize} tests each (0 = no count limit), and never
 * more argument bytes than {@code maxArgumentBytes}, so a large node cannot hit the kernel's argv limit (E2BIG).
 */
public final class Batches {
    /** Well under Linux's 2 MiB argv+env limit, leaving room for a large environment. */
    public static final int DEFAULT_MAX_ARGUMENT_BYTES = 256 * 1024;

    /** With several slots, aim for this many batches per slot so a slot that finishes early finds work. */
    static final int BATCHES_PER_SLOT = 3;

    private Batches() {
    }

    /**
     * A node's work queue: at concurrency 1 the tests in their given order; above 1 the heaviest first, cut into
     * batches that free slots take one by one (by {@code batchSize}, else by expected time when {@code weightsKnown},
     * else by count), so one slow file does not leave the other slots idle at the end.
     */
    public static List<List<String>> queue(List<String> tests, java.util.function.ToDoubleFunction<String> weight,
                                           boolean weightsKnown, int batchSize, int concurrency, int maxArgumentBytes) {
        if (concurrency <= 1 || tests.size() <= 1) {
            return split(tests, batchSize, maxArgumentBytes);
        }
        List<String> order = new ArrayList<>(tests);
        order.sort(java.util.Comparator.comparingDouble(t -> -weight.applyAsDouble(t))); // stable: ties keep plan order
        if (batchSize > 0) {
            return split(order, batchSize, maxArgumentBytes);
        }
        if (!weightsKnown) {
            int size = (int) Math.ceil(order.size() / (double) (concurrency * BATCHES_PER_SLOT));
            return split(order, Math.max(1, size), maxArgumentBytes);
        }
        double total = order.stream().mapToDouble(weight).sum();
        double target = total / (concurrency * BATCHES_PER_SLOT);
        List<List<String>> batches = new ArrayList<>();
        List<String> current = new ArrayList<>();
        double time = 0;
        long bytes = 0;
        for (String test : order) {
            long size = test.getBytes(StandardCharsets.UTF_8).length + 1L;
            if (!current.isEmpty() && (time >= target || bytes + size > maxArgumentBytes)) {
                batches.add(current);
                current = new ArrayList<>();
                time = 0;
                bytes = 0;
            }
            current.add(test);
            time += weight.applyAsDouble(test);
            bytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    public static List<List<String>> split(List<String> tests, int batchSize, int maxArgumentBytes) {
        List<List<String>> batches = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long bytes = 0;
        for (String test : tests) {
            long size = test.getBytes(StandardCharsets.UTF_8).length + 1L; // +1 for the terminating NUL
            boolean full = batchSize > 0 && current.size() >= batchSize;
            boolean tooLong = !current.isEmpty() && bytes + size > maxArgumentBytes;
            if (full || tooLong) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(test);
            bytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
