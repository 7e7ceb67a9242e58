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

    private Batches() {
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
