package io.bktec.stream;

import io.bktec.results.NodeIds;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import io.bktec.watch.Interruption;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows one pytest process's results stream and turns it into test results. A test failed if any of its phases
 * failed (a teardown error fails a test whose call passed, as pytest counts it); skipped if a phase skipped
 * (xfail included); passed otherwise. Every collected test is accounted for: when the process dies mid-session, the
 * test it was running is the crashed test (failed); when the session stops early (-x, pytest.exit, an interrupt), the
 * test it stopped inside is failed with pytest's reason (never passed: its call never reported); either way the
 * collected tests that never started are not run. Pure: events in, results out.
 * <p>
 * Fed from one thread at a time; the live counts may be read from any thread.
 */
public final class TestStream {
    /** How a result format names tests, so results from the stream carry the scope and name the Test Engine knows. */
    public enum ScopeStyle {
        /** buildkite-test-collector JSON: the node id split at its last {@code ::}. */
        COLLECTOR,
        /** pytest's JUnit XML: dotted classname and test name. */
        JUNIT
    }

    private final ScopeStyle style;
    private final Path workingDirectory;
    private NodeIdRebase rebase = NodeIdRebase.none();
    private boolean sessionStarted;
    private boolean sessionEnded;
    private String stopReason = "";
    private String pluginError;
    private io.bktec.coverage.CoverageSetup coverage;
    /** What bktec saw happen to the running test: its timeout, the job's cancel, an OOM kill. */
    private Interruption interruption;
    private List<String> collected;
    private final List<StreamEvent.CollectionError> collectionErrors = new ArrayList<>();
    private final List<StreamEvent.CollectionSkip> collectionSkips = new ArrayList<>();
    private final Map<String, TestState> tests = new LinkedHashMap<>();
    private volatile int collectedCount;
    private volatile int finishedCount;
    private volatile int failedCount;

    public TestStream(ScopeStyle style, Path workingDirectory) {
        this.style = style;
        this.workingDirectory = workingDirectory;
    }

    /** What the stream knows of one test so far. */
    private static final class TestState {
        boolean started;
        boolean finished;
        int reports;
        String failedWhen;
        String failureReason = "";
        boolean skipped;
        double duration;

        void reset() {
            reports = 0;
            failedWhen = null;
            failureReason = "";
            skipped = false;
        }
    }

    public void accept(StreamEvent event) {
        if (pluginError != null) {
            return;
        }
        if (event instanceof StreamEvent.SessionStart start) {
            sessionStarted = true;
            rebase = NodeIdRebase.between(start.rootdir(), workingDirectory);
        } else if (event instanceof StreamEvent.Collected c) {
            // A worker announces each module's tests as it collects it: each event adds to the ones before.
            if (collected == null) {
                collected = new ArrayList<>(c.nodeIds());
            } else {
                collected.addAll(c.nodeIds());
            }
            collectedCount = collected.size();
        } else if (event instanceof StreamEvent.CollectionError error) {
            collectionErrors.add(error);
        } else if (event instanceof StreamEvent.CollectionSkip skip) {
            collectionSkips.add(skip);
        } else if (event instanceof StreamEvent.TestStart start) {
            state(start.nodeId()).started = true;
        } else if (event instanceof StreamEvent.PhaseReport report) {
            phase(report);
        } else if (event instanceof StreamEvent.TestPassed passed) {
            passed(passed);
        } else if (event instanceof StreamEvent.SessionEnd end) {
            sessionEnded = true;
            stopReason = end.stopped();
        } else if (event instanceof StreamEvent.PluginError error) {
            pluginError = error.message();
        } else if (event instanceof StreamEvent.Coverage measured) {
            coverage = measured.setup();
        }
    }

    /** bktec stopped the running test, or saw its process killed for want of memory: it is named for that. */
    public void interrupted(Interruption what) {
        interruption = what;
    }

    private TestState state(String nodeId) {
        return tests.computeIfAbsent(nodeId, id -> new TestState());
    }

    private void phase(StreamEvent.PhaseReport report) {
        TestState test = state(report.nodeId());
        if (report.outcome().equals("rerun")) {
            test.reset(); // a rerun plugin will run it again; only the last round counts
            return;
        }
        test.reports++;
        test.duration += Math.max(0, report.durationSeconds());
        switch (report.outcome()) {
            case "failed" -> {
                if (test.failedWhen == null) {
                    test.failedWhen = report.when();
                    test.failureReason = failureReason(report);
                }
            }
            case "skipped" -> test.skipped = true;
            default -> {
            }
        }
        if (report.when().equals("teardown")) {
            finished(test);
        }
    }

    /** The test's last phase has reported: counted once as finished (and failed, if a phase failed). */
    private void finished(TestState test) {
        if (!test.finished) {
            test.finished = true;
            finishedCount++;
            if (test.failedWhen != null) {
                failedCount++;
            }
        }
    }

    /** Setup, call and teardown all passed: the three reports in one. */
    private void passed(StreamEvent.TestPassed passed) {
        TestState test = state(passed.nodeId());
        test.reports += 3;
        test.duration += Math.max(0, passed.durationSeconds());
        finished(test);
    }

    private static String failureReason(StreamEvent.PhaseReport report) {
        return switch (report.when()) {
            case "setup" -> "error at setup: " + report.reason();
            case "teardown" -> "error at teardown: " + report.reason();
            default -> report.reason();
        };
    }

    public boolean sessionStarted() {
        return sessionStarted;
    }

    /** Tests collected so far (0 until collection finished). */
    public int collectedCount() {
        return collectedCount;
    }

    /** Whether pytest collected its tests (a worker's tests are known from then on). */
    public boolean collectedKnown() {
        return collected != null;
    }

    /** The collected tests, as ids that run from the working directory, in collection order. */
    public List<String> collectedIds() {
        return collected == null ? List.of() : collected.stream().map(rebase::runnable).toList();
    }

    /**
     * A result for a collected test that no process ran (a worker's work left when the workers ran out), named as
     * this stream names its tests, so a later attempt's result for it takes its place.
     */
    public TestResult notRun(String runnableId, String reason) {
        String pytestId = collected == null ? runnableId : collected.stream()
                .filter(id -> rebase.runnable(id).equals(runnableId)).findFirst().orElse(runnableId);
        NodeIds.ScopeAndName named = style == ScopeStyle.JUNIT ? NodeIds.junitScope(pytestId) : NodeIds.collectorScope(pytestId);
        return new TestResult(named.scope(), named.name(), runnableId, TestStatus.NOT_RUN, 0, reason, false);
    }

    /**
     * Tests that started (ran, or were running), as ids that run from the working directory; and a module whose
     * collection timed out, so that no other worker is given it again.
     */
    public java.util.Set<String> startedIds() {
        java.util.Set<String> started = new java.util.LinkedHashSet<>();
        tests.forEach((nodeId, test) -> {
            if (test.started || test.reports > 0) {
                started.add(rebase.runnable(nodeId));
            }
        });
        if (interruption instanceof Interruption.TimedOut timedOut && timedOut.collecting()) {
            started.add(rebase.runnable(timedOut.nodeId()));
        }
        return started;
    }

    /** Tests whose teardown has finished. */
    public int finishedCount() {
        return finishedCount;
    }

    /** Finished tests that failed in some phase. */
    public int failedCount() {
        return failedCount;
    }

    /**
     * The results once the process has ended.
     *
     * @param ending how the process ended, in words ("SIGSEGV", "exit status 3"), used to name a crash
     */
    public StreamOutcome finish(String ending) {
        return finish(ending, true);
    }

    /**
     * @param notRunFromCollection whether collected tests that never started count as not run; not for a worker,
     *                             which collects everything and runs only what it is given
     */
    public StreamOutcome finish(String ending, boolean notRunFromCollection) {
        if (!sessionStarted) {
            return StreamOutcome.absent();
        }
        boolean died = !sessionEnded && pluginError == null;
        // A session that ended with tests unaccounted for stopped early (-x, pytest.exit, an interrupt).
        boolean ended = sessionEnded && pluginError == null;
        List<TestResult> results = new ArrayList<>();
        for (StreamEvent.CollectionError error : collectionErrors) {
            String id = rebase.runnable(error.nodeId());
            results.add(new TestResult("", error.nodeId(), id, TestStatus.FAILED, 0, error.reason(), true));
        }
        for (StreamEvent.CollectionSkip skip : collectionSkips) {
            String id = rebase.runnable(skip.nodeId());
            results.add(new TestResult("", skip.nodeId(), id, TestStatus.SKIPPED, 0, skip.reason(), false));
        }
        List<String> crashed = new ArrayList<>();
        List<String> interrupted = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        String lastFinished = null;
        for (Map.Entry<String, TestState> entry : tests.entrySet()) {
            String nodeId = entry.getKey();
            TestState test = entry.getValue();
            boolean unfinished = test.started && !test.finished;
            if (died && unfinished) {
                crashed.add(rebase.runnable(nodeId));
                results.add(result(nodeId, TestStatus.FAILED, test.duration, interruptedHere(nodeId)
                        ? reasonWithStack(interruption) : "crashed the test process (" + ending + ")", true));
                continue;
            }
            if (ended && unfinished && test.failedWhen == null) {
                // Its call never reported: never passed. Failed for the reason pytest stopped, when it gave one.
                if (stopReason.isEmpty()) {
                    notRun.add(rebase.runnable(nodeId));
                    results.add(result(nodeId, TestStatus.NOT_RUN, test.duration,
                            "not run: the session ended (" + ending + ") before it finished", false));
                } else {
                    interrupted.add(rebase.runnable(nodeId));
                    results.add(result(nodeId, TestStatus.FAILED, test.duration, "stopped inside this test: "
                            + stopReason, false));
                }
                continue;
            }
            if (test.finished) {
                lastFinished = nodeId;
            }
            results.add(result(nodeId, status(test), test.duration, test.failureReason, false));
        }
        if (interruption instanceof Interruption.TimedOut timedOut && timedOut.collecting()) {
            results.add(new TestResult("", timedOut.nodeId(), rebase.runnable(timedOut.nodeId()), TestStatus.FAILED, 0,
                    reasonWithStack(timedOut), false, true));
        }
        if ((died || ended) && collected != null && notRunFromCollection) {
            String reason = died && interruption != null ? "not run: " + stoppedBecause(interruption)
                    : died ? "not run: the test process died (" + ending + ") before it started"
                    : stopReason.isEmpty() ? "not run: the session ended (" + ending + ") before it started"
                    : "not run: the session stopped early (" + stopReason + ")";
            for (String nodeId : collected) {
                if (!tests.containsKey(nodeId)) {
                    notRun.add(rebase.runnable(nodeId));
                    results.add(result(nodeId, TestStatus.NOT_RUN, 0, reason, false));
                }
            }
        }
        Optional<String> crash = died && interruption == null
                ? Optional.of(describeCrash(ending, crashed, notRun, lastFinished)) : Optional.empty();
        Optional<String> stopped = ended && !stopReason.isEmpty()
                ? Optional.of(describeStop(interrupted)) : Optional.empty();
        Optional<StreamOutcome.Stopped> stoppedByBktec = died && interruption != null
                ? Optional.of(new StreamOutcome.Stopped(interruption, describeInterruption(notRun)))
                : Optional.empty();
        return new StreamOutcome(true, sessionEnded, Optional.ofNullable(pluginError), results, crashed, notRun, crash,
                stopped, Optional.ofNullable(coverage), stoppedByBktec);
    }

    private boolean interruptedHere(String nodeId) {
        return interruption != null && nodeId.equals(interruption.nodeId());
    }

    /** The one-line reason, and the stack bktec took (the summary shows the first line, the log and annotation all). */
    private static String reasonWithStack(Interruption what) {
        String stack = what.stack().text().strip();
        return what.reason() + (stack.isEmpty() ? "" : "\n" + stack);
    }

    /** Why the tests after the interrupted one did not run in this process. */
    private String stoppedBecause(Interruption what) {
        String who = what.nodeId().isEmpty() ? "" : rebase.runnable(what.nodeId()) + " ";
        if (what instanceof Interruption.TimedOut) {
            return "its process was stopped when " + who + "timed out";
        }
        if (what instanceof Interruption.Cancelled) {
            return "the job was cancelled";
        }
        return "its process was killed by the kernel for want of memory";
    }

    private String describeInterruption(List<String> notRun) {
        String who = interruption.nodeId().isEmpty() ? "the test process" : rebase.runnable(interruption.nodeId());
        String notRunText = notRun.isEmpty() ? ""
                : "; " + notRun.size() + " test" + (notRun.size() == 1 ? "" : "s") + " did not run";
        if (interruption instanceof Interruption.Cancelled) {
            return who + " was " + interruption.reason() + notRunText;
        }
        if (interruption instanceof Interruption.OutOfMemory) {
            return who + " was " + interruption.reason() + notRunText;
        }
        return who + " " + interruption.reason() + notRunText;
    }

    private String describeStop(List<String> interrupted) {
        return "the session stopped early (" + stopReason + ")"
                + (interrupted.isEmpty() ? "" : " in " + String.join(", ", interrupted));
    }

    private String describeCrash(String ending, List<String> crashed, List<String> notRun, String lastFinished) {
        String notRunText = notRun.isEmpty() ? ""
                : "; " + notRun.size() + " test" + (notRun.size() == 1 ? "" : "s") + " did not run";
        if (!crashed.isEmpty()) {
            return String.join(", ", crashed) + " crashed the test process (" + ending + ")" + notRunText;
        }
        if (collected == null) {
            return "the test process died (" + ending + ") while pytest was collecting tests";
        }
        if (lastFinished == null) {
            return "the test process died (" + ending + ") before its first test" + notRunText;
        }
        return "the test process died (" + ending + ") after " + rebase.runnable(lastFinished)
                + (notRun.isEmpty() ? ", before the session ended" : notRunText);
    }

    private static TestStatus status(TestState test) {
        if (test.failedWhen != null) {
            return TestStatus.FAILED;
        }
        if (test.skipped) {
            return TestStatus.SKIPPED;
        }
        return test.reports == 0 ? TestStatus.UNKNOWN : TestStatus.PASSED;
    }

    private TestResult result(String nodeId, TestStatus status, double duration, String reason, boolean crashed) {
        NodeIds.ScopeAndName named = style == ScopeStyle.JUNIT ? NodeIds.junitScope(nodeId) : NodeIds.collectorScope(nodeId);
        return new TestResult(named.scope(), named.name(), rebase.runnable(nodeId), status, duration, reason, false,
                crashed);
    }
}
