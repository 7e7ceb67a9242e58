package io.bktec.stream;

import io.bktec.process.OutputSink;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PluginImportWatchTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PluginImportWatch watch = new PluginImportWatch(new OutputSink() {
        @Override
        public void stdout(ByteBuffer bytes) {
            copy(bytes, out);
        }

        @Override
        public void stderr(ByteBuffer bytes) {
            copy(bytes, err);
        }

        @Override
        public void end() {
        }
    });

    private static void copy(ByteBuffer bytes, ByteArrayOutputStream to) {
        while (bytes.hasRemaining()) {
            to.write(bytes.get());
        }
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void seesPytestsImportErrorEvenWhenItArrivesInPiecesAndPassesEverythingOn() {
        String message = "Traceback ...\nImportError: Error importing plugin \"bktec_pytest\": No module named 'bktec_pytest'\n";
        for (int i = 0; i < message.length(); i += 7) {
            watch.stderr(bytes(message.substring(i, Math.min(message.length(), i + 7))));
        }
        assertThat(watch.importFailed()).isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(message);
    }

    @Test
    void otherPluginsNearMissesAndStdoutDoNotCount() {
        watch.stdout(bytes("Error importing plugin \"bktec_pytest\"\n"));
        watch.stderr(bytes("Error importing plugin \"other\"; Error importing plugin \"bktec_pytes\"\n"));
        assertThat(watch.importFailed()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Error importing plugin \"bktec_pytest\"\n");
    }

    @Test
    void seesPytestsUsageErrorForThePlannedOptionInPieces() {
        String message = "ERROR: usage: pytest [options] [file_or_dir] [file_or_dir] [...]\n"
                + "pytest: error: unrecognized arguments: --bktec-planned=/tmp/b/attempt-0/batch-1.planned.txt\n";
        for (int i = 0; i < message.length(); i += 5) {
            watch.stderr(bytes(message.substring(i, Math.min(message.length(), i + 5))));
        }
        assertThat(watch.plannedOptionUnknown()).isTrue();
        assertThat(watch.importFailed()).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(message);
    }
}
