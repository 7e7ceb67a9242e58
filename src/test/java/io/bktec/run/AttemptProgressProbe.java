package io.bktec.run;

import io.bktec.stream.StreamEvent;
import io.bktec.stream.TestStream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds an {@link AttemptProgress} that reads given counts, from one results stream fed with made-up events. */
public final class AttemptProgressProbe {
    private AttemptProgressProbe() {
    }

    public static AttemptProgress of(int attempt, long startedNanos, int collected, int finished, int failed) {
        TestStream stream = new TestStream(TestStream.ScopeStyle.COLLECTOR, Path.of("/r"));
        stream.accept(new StreamEvent.SessionStart("9", "3", 1, "/r", "/r", List.of()));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < collected; i++) {
            ids.add("t.py::t" + i);
        }
        if (collected > 0) {
            stream.accept(new StreamEvent.Collected(ids));
        }
        for (int i = 0; i < finished; i++) {
            String id = "t.py::t" + i;
            stream.accept(new StreamEvent.PhaseReport(id, "call", i < failed ? "failed" : "passed", 0, "", null, false));
            stream.accept(new StreamEvent.PhaseReport(id, "teardown", "passed", 0, "", null, false));
        }
        AttemptProgress progress = new AttemptProgress(attempt, startedNanos);
        progress.add(stream);
        return progress;
    }
}
