package io.bktec.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The kernel's count of OOM kills in bktec's memory cgroup, which its test processes share: when a test process
 * dies of SIGKILL that bktec did not send and the count grew while it ran, the kernel's OOM killer ended it. cgroup
 * v2 says so in {@code memory.events} ({@code oom_kill N}), v1 in {@code memory.oom_control}.
 */
public final class OomEvidence {
    private final Path cgroupRoot;
    private final Path selfCgroup;

    /**
     * @param cgroupRoot where the cgroup file systems are mounted (/sys/fs/cgroup)
     * @param selfCgroup this process's cgroup membership (/proc/self/cgroup)
     */
    public OomEvidence(Path cgroupRoot, Path selfCgroup) {
        this.cgroupRoot = cgroupRoot;
        this.selfCgroup = selfCgroup;
    }

    /**
     * This machine's evidence: the cgroup file systems at /sys/fs/cgroup, or where BKTEC_CGROUP_ROOT says (the tests
     * stand a directory in for the kernel's files where no memory cgroup can be made).
     */
    public static OomEvidence forEnvironment(java.util.Map<String, String> env) {
        return new OomEvidence(Path.of(env.getOrDefault("BKTEC_CGROUP_ROOT", "/sys/fs/cgroup")),
                Path.of("/proc/self/cgroup"));
    }

    /** The OOM kills counted so far; empty where the count cannot be read (no cgroup memory controller). Blocking. */
    public OptionalLong kills() {
        List<String> membership;
        try {
            membership = Files.readAllLines(selfCgroup);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        for (String line : membership) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            String relative = parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
            if (parts[1].isEmpty()) {
                OptionalLong v2 = count(cgroupRoot.resolve(relative).resolve("memory.events"));
                if (v2.isPresent()) {
                    return v2;
                }
                OptionalLong unified = count(cgroupRoot.resolve("unified").resolve(relative).resolve("memory.events"));
                if (unified.isPresent()) {
                    return unified;
                }
            } else if (List.of(parts[1].split(",")).contains("memory")) {
                OptionalLong v1 = count(cgroupRoot.resolve("memory").resolve(relative).resolve("memory.oom_control"));
                if (v1.isPresent()) {
                    return v1;
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The {@code oom_kill N} line of a cgroup file. */
    static OptionalLong count(Path file) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] words = line.strip().split("\\s+");
                if (words.length == 2 && words[0].equals("oom_kill")) {
                    return OptionalLong.of(Long.parseLong(words[1]));
                }
            }
        } catch (IOException | NumberFormatException | java.nio.file.InvalidPathException e) {
            // no such controller here
        }
        return OptionalLong.empty();
    }
}
