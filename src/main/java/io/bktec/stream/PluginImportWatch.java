package io.bktec.stream;

import io.bktec.process.OutputSink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Passes a test process's output on unchanged and notices when pytest could not import bktec's plugin. That happens
 * when a wrapper replaces PYTHONPATH (a Makefile's {@code PYTHONPATH=src pytest}) but keeps PYTEST_PLUGINS: pytest
 * then stops before running anything, and bktec runs the batch again without the plugin.
 */
public final class PluginImportWatch implements OutputSink {
    private static final byte[] MARKER = ("Error importing plugin \"" + PytestPlugin.MODULE + "\"")
            .getBytes(StandardCharsets.US_ASCII);
    /** Knuth-Morris-Pratt fallbacks, so a match split across two chunks is still found. */
    private static final int[] FALLBACK = fallbacks(MARKER);

    private final OutputSink target;
    private int matched;
    private volatile boolean seen;

    public PluginImportWatch(OutputSink target) {
        this.target = target;
    }

    /** Whether pytest said it could not import the plugin. */
    public boolean importFailed() {
        return seen;
    }

    @Override
    public void stdout(ByteBuffer bytes) {
        target.stdout(bytes);
    }

    @Override
    public void stderr(ByteBuffer bytes) {
        if (!seen) {
            scan(bytes.duplicate());
        }
        target.stderr(bytes);
    }

    private void scan(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            while (matched > 0 && MARKER[matched] != b) {
                matched = FALLBACK[matched - 1];
            }
            if (MARKER[matched] == b) {
                matched++;
            }
            if (matched == MARKER.length) {
                seen = true;
                return;
            }
        }
    }

    private static int[] fallbacks(byte[] pattern) {
        int[] table = new int[pattern.length];
        int k = 0;
        for (int i = 1; i < pattern.length; i++) {
            while (k > 0 && pattern[k] != pattern[i]) {
                k = table[k - 1];
            }
            if (pattern[k] == pattern[i]) {
                k++;
            }
            table[i] = k;
        }
        return table;
    }

    @Override
    public void end() {
        target.end();
    }
}
