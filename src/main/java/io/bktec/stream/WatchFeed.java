package io.bktec.stream;

import io.bktec.watch.ProcessWatch;

/** What a process's results stream tells the watch over its tests: which runs, from when, until when. */
final class WatchFeed {
    private WatchFeed() {
    }

    static void feed(ProcessWatch watch, StreamEvent event) {
        if (event instanceof StreamEvent.TestStart start) {
            watch.testStarted(start.nodeId());
        } else if (event instanceof StreamEvent.TestPassed passed) {
            watch.testFinished(passed.nodeId());
        } else if (event instanceof StreamEvent.PhaseReport report && report.when().equals("teardown")) {
            watch.testFinished(report.nodeId());
        } else if (event instanceof StreamEvent.Collecting collecting) {
            watch.collecting(collecting.nodeId());
        } else if (event instanceof StreamEvent.Collected collected) {
            watch.ownTimeouts(collected.timeouts());
            watch.collected();
        } else if (event instanceof StreamEvent.SessionStart start) {
            watch.sessionStarted(start.pid());
        } else if (event instanceof StreamEvent.Stacks stacks) {
            watch.stackSignal(stacks.signal());
        } else if (event instanceof StreamEvent.SessionEnd) {
            watch.sessionEnded();
        }
    }
}
