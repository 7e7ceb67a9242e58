package io.bktec.stream;

import org.junit.jupiter.api.Test;

import io.bktec.plan.TestListing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StreamCollectionTest {
    private static final Path HERE = Path.of("/build/repo/service");

    private static String start(String rootdir) {
        return "{\"event\":\"session_start\",\"pytest\":\"9.0.3\",\"python\":\"3.11.7\",\"pid\":1,\"rootdir\":\""
                + rootdir + "\",\"invocation_dir\":\"" + HERE + "\",\"plugins\":[]}";
    }

    private static String collected(String... ids) {
        return "{\"event\":\"collected\",\"nodeids\":[" + String.join(",", java.util.Arrays.stream(ids)
                .map(id -> "\"" + id + "\"").toList()) + "]}";
    }

    @Test
    void idsAreGroupedByTheFileAskedForInCollectionOrder() {
        TestListing grouped = StreamCollection.grouped(List.of(start(HERE.toString()),
                        collected("tests/b.py::z", "tests/a.py::T::t[1]", "tests/b.py::a", "tests/other.py::t")),
                List.of("tests/a.py", "tests/b.py", "tests/empty.py"), HERE).orElseThrow();
        assertThat(grouped.tests()).isEqualTo(Map.of("tests/a.py", List.of("tests/a.py::T::t[1]"),
                "tests/b.py", List.of("tests/b.py::z", "tests/b.py::a")));
        assertThat(grouped.tests().keySet()).containsExactly("tests/a.py", "tests/b.py");
        assertThat(grouped.uncollectable()).isEmpty();
    }

    @Test
    void idsRelativeToARootdirAboveTheWorkingDirectoryAreRebased() {
        Optional<TestListing> grouped = StreamCollection.grouped(List.of(start("/build/repo"),
                collected("service/tests/a.py::t", "service/tests/a.py::u")), List.of("tests/a.py"), HERE);
        assertThat(grouped.orElseThrow().tests()).isEqualTo(Map.of("tests/a.py", List.of("tests/a.py::t", "tests/a.py::u")));
    }

    @Test
    void filesThatFailedToCollectAreNamedAsSuch() {
        TestListing grouped = StreamCollection.grouped(List.of(start("/build/repo"),
                        "{\"event\":\"collection_error\",\"nodeid\":\"service/tests/broken.py\",\"reason\":\"ImportError\"}",
                        collected("service/tests/a.py::t")), List.of("./tests/a.py", "tests/broken.py", "tests/other.py"), HERE)
                .orElseThrow();
        assertThat(grouped.uncollectable()).containsExactly("tests/broken.py");
        assertThat(grouped.tests()).isEqualTo(Map.of("./tests/a.py", List.of("tests/a.py::t")));
    }

    @Test
    void aStreamThatNeverSaidWhatWasCollectedListsNothing() {
        assertThat(StreamCollection.grouped(List.of(start(HERE.toString()), "{\"event\":\"session_end\",\"exitstatus\":4}"),
                List.of("tests/a.py"), HERE)).isEmpty();
        assertThat(StreamCollection.grouped(List.of(), List.of("tests/a.py"), HERE)).isEmpty();
    }
}
