package io.bktec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers with pytest-xdist's identity: the identity suite (testdata/identity) opens a database file per worker for
 * itself alone, named from worker_id, and a pytest-django-style test database named from config.workerinput; two
 * workers with one identity would fail each other's tests.
 */
class IdentityIT {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "concurrency {0}, fork server {1}")
    @CsvSource({"2, true", "2, false", "8, true", "8, false"})
    void everyWorkerHasAnIdentityOfItsOwnAndTheRunOneId(int concurrency, boolean forkServer) throws Exception {
        Path suite = Bktec.copyOf("identity", tmp.resolve("suite"));
        Bktec.Result r = Bktec.in(suite).env("BUILDKITE_TEST_ENGINE_CONCURRENCY", Integer.toString(concurrency))
                .env("BUILDKITE_TEST_ENGINE_FORK_SERVER", Boolean.toString(forkServer)).args("run").run();
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Passed (first run)       32");
        List<JsonNode> sessions = new ArrayList<>();
        for (String line : Files.readAllLines(suite.resolve("identity.log"))) {
            sessions.add(new ObjectMapper().readTree(line));
        }
        assertThat(sessions).as(r.stdout()).hasSizeGreaterThan(1);
        List<String> ids = sessions.stream().map(s -> s.get("worker_id").asText()).toList();
        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).matches("gw[0-9]+")
                .satisfies(gw -> assertThat(Integer.parseInt(gw.substring(2))).isBetween(0, concurrency - 1)));
        assertThat(sessions).allSatisfy(s -> {
            assertThat(s.get("environment").asText()).isEqualTo(s.get("worker_id").asText());
            assertThat(s.get("count").asText()).isEqualTo(Integer.toString(concurrency));
        });
        assertThat(sessions.stream().map(s -> s.get("testrun_uid").asText()).distinct()).singleElement()
                .satisfies(uid -> assertThat(uid).matches("[0-9a-f]{32}"));
        // every worker's databases were its own, and are gone with its session
        try (var left = Files.list(suite)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".sqlite") || n.endsWith(".db"));
        }
    }
}
