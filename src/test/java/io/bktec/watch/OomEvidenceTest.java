package io.bktec.watch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class OomEvidenceTest {
    @TempDir
    Path tmp;

    private Path write(String relative, String text) throws Exception {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void cgroupV2CountsInMemoryEvents() throws Exception {
        Path self = write("proc/cgroup", "0::/system.slice/agent.service\n");
        write("sys/system.slice/agent.service/memory.events", "low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\n");
        assertThat(new OomEvidence(tmp.resolve("sys"), self).kills()).isEqualTo(OptionalLong.of(2));
    }

    @Test
    void cgroupV1CountsInTheMemoryControllersOomControl() throws Exception {
        Path self = write("proc/cgroup", "9:name=systemd:/\n4:memory:/process_api/abc\n0::/\n");
        write("sys/memory/process_api/abc/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 7\n");
        assertThat(new OomEvidence(tmp.resolve("sys"), self).kills()).isEqualTo(OptionalLong.of(7));
    }

    @Test
    void noControllerNoCount() throws Exception {
        Path self = write("proc/cgroup", "0::/\n");
        assertThat(new OomEvidence(tmp.resolve("sys"), self).kills()).isEmpty();
        assertThat(new OomEvidence(tmp.resolve("sys"), tmp.resolve("missing")).kills()).isEmpty();
    }
}
