package io.bktec.jobretry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Which share of the build a job ran: its step, its parallel index among how many, and a digest of the tests its plan
 * gave it. A record of failures applies to a retried job only when all four are the same.
 *
 * @param planDigest sha-256 of the share's tests, sorted, each preceded by its length
 */
public record NodeShare(String step, int index, int parallelism, String planDigest) {
    public static NodeShare of(String step, int index, int parallelism, List<String> tests) {
        return new NodeShare(step, index, parallelism, digest(tests));
    }

    static String digest(List<String> tests) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String test : tests.stream().sorted().toList()) {
                byte[] bytes = test.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Why a record written for {@code recorded} does not apply to this share; empty when it does. */
    Optional<String> mismatch(NodeShare recorded) {
        if (!recorded.step.equals(step)) {
            return Optional.of("it was written by step " + recorded.step + ", not this step (" + step + ")");
        }
        if (recorded.index != index) {
            return Optional.of("it was written by parallel job " + recorded.index + ", not this one (" + index + ")");
        }
        if (recorded.parallelism != parallelism) {
            return Optional.of("it was written at parallelism " + recorded.parallelism + ", and this job's is " + parallelism);
        }
        if (!recorded.planDigest.equals(planDigest)) {
            return Optional.of("this job's plan gives it other tests (the test files changed)");
        }
        return Optional.empty();
    }
}
