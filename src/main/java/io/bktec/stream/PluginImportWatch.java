package io.bktec.stream;

import io.bktec.process.OutputSink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Passes a test process's output on unchanged and notices when pytest ran without bktec's plugin in a way that stops
 * it before any test: it could not import the plugin (a wrapper replaced PYTHONPATH, as a Makefile's
 * {@code PYTHONPATH=src pytest} does, but kept PYTEST_PLUGINS), or it did not know the plugin's
 * {@code --bktec-planned} option (the plugin was never loaded: the command dropped the environment). bktec then runs
 * the batch again without what needed the plugin.
 */
public final class PluginImportWatch implements OutputSink {
    private final OutputSink target;
    private final Marker importError = new Marker("Error importing plugin \"" + PytestPlugin.MODULE + "\"");
    private final Marker unknownOption = new Marker(PlannedCollection.OPTION);

    public PluginImportWatch(OutputSink target) {
        this.target = target;
    }

    /** Whether pytest said it could not import the plugin. */
    public boolean importFailed() {
        return importError.seen;
    }

    /** Whether pytest's error output named the plugin's --bktec-planned option (pytest did not know it). */
    public boolean plannedOptionUnknown() {
        return unknownOption.seen;
    }

    @Override
    public void stdout(ByteBuffer bytes) {
        target.stdout(bytes);
    }

    @Override
    public void stderr(ByteBuffer bytes) {
        importError.scan(bytes.duplicate());
        unknownOption.scan(bytes.duplicate());
        target.stderr(bytes);
    }

    @Override
    public void end() {
        target.end();
    }

    @Override
    public Optional<String> directStdout() {
        return target.directStdout(); // the markers are looked for on stderr only
    }

    /** One text looked for in a byte stream that arrives in chunks (Knuth-Morris-Pratt, so a split match counts). */
    private static final class Marker {
        private final byte[] text;
        private final int[] fallback;
        private int matched;
        private volatile boolean seen;

        Marker(String text) {
            this.text = text.getBytes(StandardCharsets.US_ASCII);
            this.fallback = fallbacks(this.text);
        }

        void scan(ByteBuffer bytes) {
            while (!seen && bytes.hasRemaining()) {
                byte b = bytes.get();
                while (matched > 0 && text[matched] != b) {
                    matched = fallback[matched - 1];
                }
                if (text[matched] == b) {
                    matched++;
                }
                if (matched == text.length) {
                    seen = true;
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
    }
}
