package io.bktec.coverage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** The combination's side of the helper's protocol, against a stand-in helper (a shell script run by sh). */
class CoverageCombinationTest {
    @TempDir
    Path tmp;

    private static final String EVENT = "{\"event\":\"coverage\",\"measured_by\":\"pytest-cov\",\"reports\":"
            + "{\"xml\":\"cov.xml\"},\"fail_under\":90}";

    private CoverageSetup setup(String executable) {
        return new CoverageSetup("pytest-cov", executable, tmp.toString(), OptionalDouble.of(90), false, EVENT);
    }

    /** A helper that keeps its request, prints a report and answers with {@code result} (none when null). */
    private Path helper(String result, String exit) throws Exception {
        Path script = tmp.resolve("helper.sh");
        Files.writeString(script, "cp \"$1\" " + tmp.resolve("seen-request.json") + "\n"
                + "echo 'TOTAL    39   5   87%'\n"
                + (result == null ? "echo 'Traceback (most recent call last):' >&2\necho 'ValueError: broken' >&2\n"
                : "printf '%s' '" + result + "' > \"$2\"\n")
                + "exit " + exit + "\n");
        return script;
    }

    private CoverageOutcome combine(Path helper, CoverageSetup setup) {
        return new CoverageCombination(helper, tmp, Map.of("PATH", System.getenv("PATH")))
                .combine(List.of(setup), true).block(Duration.ofSeconds(30));
    }

    @Test
    void theHelperIsGivenTheSetupAsWrittenEveryDataFileAndTheRunsVerdict() throws Exception {
        Files.createDirectories(tmp.resolve("attempt-0"));
        Files.writeString(tmp.resolve("attempt-0/w1.coverage"), "");
        Files.writeString(tmp.resolve("attempt-0/fork-server.coverage.h.1.x"), "");
        CoverageOutcome outcome = combine(helper("{\"data_file\":\"/p/.coverage\",\"processes\":2,\"total\":87.18,"
                + "\"under\":true,\"fail_under\":90}", "0"), setup("/bin/sh"));
        JsonNode request = new ObjectMapper().readTree(tmp.resolve("seen-request.json").toFile());
        assertThat(request.get("setup")).isEqualTo(new ObjectMapper().readTree(EVENT));
        assertThat(request.get("data_files")).extracting(JsonNode::asText).containsExactly(
                tmp.resolve("attempt-0/fork-server.coverage.h.1.x").toString(), tmp.resolve("attempt-0/w1.coverage").toString());
        assertThat(request.get("run_failed").asBoolean()).isTrue();
        assertThat(outcome).isEqualTo(new CoverageOutcome.Combined("/p/.coverage", OptionalDouble.of(87.18),
                OptionalDouble.of(90), true, 2, "TOTAL    39   5   87%\n"));
    }

    @Test
    void whatGoesWrongIsOneLine() throws Exception {
        assertThat(combine(helper("{\"error\":\"NoDataError: No data to report.\"}", "0"), setup("/bin/sh")))
                .isEqualTo(new CoverageOutcome.Failed("NoDataError: No data to report.", OptionalDouble.of(90)));
        assertThat(combine(helper(null, "1"), setup("/bin/sh"))).isEqualTo(new CoverageOutcome.Failed(
                "the combination ended without a result (exit status 1: ValueError: broken)", OptionalDouble.of(90)));
        assertThat(combine(helper("not json", "0"), setup("/bin/sh")))
                .isInstanceOfSatisfying(CoverageOutcome.Failed.class, f -> assertThat(f.reason()).startsWith("could not combine: "));
        String elsewhere = tmp.resolve("container/bin/python3").toString();
        assertThat(combine(helper("{}", "0"), setup(elsewhere))).isEqualTo(new CoverageOutcome.Failed(elsewhere
                + ", the Python that ran pytest, is not on this machine (is the test command run in a container?)",
                OptionalDouble.of(90)));
    }

    @Test
    void nothingMeasuredIsNothingToCombine() {
        assertThat(new CoverageCombination(tmp.resolve("helper.sh"), tmp, Map.of()).combine(List.of(), false).block())
                .isEqualTo(new CoverageOutcome.None());
    }
}
