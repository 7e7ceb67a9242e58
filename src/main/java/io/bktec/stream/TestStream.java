package io.bktec.stream;

import io.bktec.coverage.CoverageSetup;
import io.bktec.outcome.ProcessEnding;
import io.bktec.outcome.StreamOutcome;
import io.bktec.results.NodeIds;
import io.bktec.results.TestResult;
import io.bktec.results.TestStatus;
import io.bktec.watch.Interruption;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    private CoverageSetup coverage;
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
        if (test.report(report)) {
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
        test.passed(passed.durationSeconds());
        finished(test);
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
    public Set<String> startedIds() {
        Set<String> started = new LinkedHashSet<>();
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
     * The results and the one {@link ProcessEnding} of the process, decided here and nowhere else. bktec's own
     * decision (the test's timeout, the job's cancel, the kernel's OOM kill) comes first and stands whatever the
     * stream said after it: the interrupted test fails for it even if its call went on to report (a stack signal can
     * cut a blocking C call short), and tests that started after it did not run here.
     *
     * @param notRunFromCollection whether collected tests that never started count as not run; not for a worker,
     *                             which collects everything and runs only what it is given
     */
    public StreamOutcome finish(String ending, boolean notRunFromCollection) {
        if (!sessionStarted) {
            return StreamOutcome.absent();
        }
        if (pluginError != null) {
            return StreamOutcome.pluginFailed(pluginError);
        }
        EndingWords.Kind kind = interruption != null ? EndingWords.Kind.INTERRUPTED
                : !sessionEnded ? EndingWords.Kind.DIED
                : !stopReason.isEmpty() ? EndingWords.Kind.STOPPED : EndingWords.Kind.ENDED;
        String interrupted = interruption == null ? "" : rebase.runnable(interruption.nodeId());
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
        List<String> stoppedInside = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        String lastFinished = null;
        for (Map.Entry<String, TestState> entry : tests.entrySet()) {
            String nodeId = entry.getKey();
            TestState test = entry.getValue();
            String id = rebase.runnable(nodeId);
            if (kind == EndingWords.Kind.INTERRUPTED && nodeId.equals(interruption.nodeId())) {
                crashed.add(id);
                results.add(result(nodeId, TestStatus.FAILED, test.duration,
                        EndingWords.reasonWithStack(interruption), true));
            } else if (kind == EndingWords.Kind.INTERRUPTED && test.unfinished()) {
                notRun.add(id); // it started after bktec's decision: the rest of the process's work runs elsewhere
                results.add(result(nodeId, TestStatus.NOT_RUN, test.duration,
                        "not run: " + EndingWords.stoppedBecause(interruption, interrupted), false));
            } else if (kind == EndingWords.Kind.DIED && test.unfinished()) {
                crashed.add(id);
                results.add(result(nodeId, TestStatus.FAILED, test.duration,
                        "crashed the test process (" + ending + ")", true));
            } else if (kind != EndingWords.Kind.DIED && test.unfinished() && test.failedWhen == null) {
                // Its call never reported: never passed. Failed for the reason pytest stopped, when it gave one.
                if (stopReason.isEmpty()) {
                    notRun.add(id);
                    results.add(result(nodeId, TestStatus.NOT_RUN, test.duration,
                            "not run: the session ended (" + ending + ") before it finished", false));
                } else {
                    stoppedInside.add(id);
                    results.add(result(nodeId, TestStatus.FAILED, test.duration, "stopped inside this test: "
                            + stopReason, false));
                }
            } else {
                if (test.finished) {
                    lastFinished = id;
                }
                results.add(result(nodeId, test.status(), test.duration, test.failureReason, false));
            }
        }
        if (interruption instanceof Interruption.TimedOut timedOut && timedOut.collecting()) {
            results.add(new TestResult("", timedOut.nodeId(), interrupted, TestStatus.FAILED, 0,
                    EndingWords.reasonWithStack(timedOut), false, true));
        }
        if (collected != null && notRunFromCollection) {
            String reason = EndingWords.neverStarted(kind, interruption, interrupted, ending, stopReason);
            for (String nodeId : collected) {
                if (!tests.containsKey(nodeId)) {
                    notRun.add(rebase.runnable(nodeId));
                    results.add(result(nodeId, TestStatus.NOT_RUN, 0, reason, false));
                }
            }
        }
        ProcessEnding decided = switch (kind) {
            case INTERRUPTED -> new ProcessEnding.Interrupted(interruption,
                    EndingWords.interruption(interruption, interrupted, notRun));
            case DIED -> new ProcessEnding.Died(EndingWords.crash(ending, crashed, notRun, collected == null,
                    lastFinished), !crashed.isEmpty() || !notRun.isEmpty());
            case STOPPED -> new ProcessEnding.StoppedEarly(stopReason, EndingWords.stop(stopReason, stoppedInside));
            case ENDED -> new ProcessEnding.Completed();
        };
        return new StreamOutcome(true, Optional.empty(), results, crashed, notRun, decided, Optional.ofNullable(coverage));
    }

    private TestResult result(String nodeId, TestStatus status, double duration, String reason, boolean crashed) {
        NodeIds.ScopeAndName named = style == ScopeStyle.JUNIT ? NodeIds.junitScope(nodeId) : NodeIds.collectorScope(nodeId);
        return new TestResult(named.scope(), named.name(), rebase.runnable(nodeId), status, duration, reason, false,
                crashed);
    }
}
