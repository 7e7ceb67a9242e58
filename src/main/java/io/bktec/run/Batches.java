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

    /** Without durations and with several slots, this many batches per slot, so a slot that finishes early finds work. */
    static final int BATCHES_PER_SLOT = 2;

    private Batches() {
    }

    /**
     * A node's work queue: at concurrency 1 the tests in their given order. Above 1, free slots take batches from a
     * queue, heaviest first. With durations the tests are packed longest-first into one batch per slot, which
     * balances the slots while paying each test process's start-up only once per slot; without them the queue holds
     * {@link #BATCHES_PER_SLOT} batches per slot (or batches of {@code batchSize}), so a slow batch does not leave
     * the other slots idle at the end.
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
        int slots = Math.min(concurrency, order.size());
        List<List<String>> bins = new ArrayList<>();
        double[] load = new double[slots];
        for (int i = 0; i < slots; i++) {
            bins.add(new ArrayList<>());
        }
        for (String test : order) {
            int lightest = 0;
            for (int i = 1; i < slots; i++) {
                if (load[i] < load[lightest]) {
                    lightest = i;
                }
            }
            bins.get(lightest).add(test);
            load[lightest] += weight.applyAsDouble(test);
        }
        List<List<String>> batches = new ArrayList<>();
        for (List<String> bin : bins) {
            batches.addAll(split(bin, 0, maxArgumentBytes));
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
