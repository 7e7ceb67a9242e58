package io.bktec.worker;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WorkQueueTest {
    private static WorkItem file(String name, double weight) {
        return WorkItem.wholeFile(name, weight);
    }

    private static final List<WorkItem> WORK = List.of(file("a.py", 9), file("b.py", 5), file("c.py", 3), file("d.py", 1));

    @Test
    void theFirstWorkerStartsAloneAndTheOthersOnceItsStreamBegins() {
        WorkQueue queue = new WorkQueue(WORK, 3, 3);
        assertThat(queue.begin()).containsExactly(new WorkQueue.Start(1, WORK, 0));
        assertThat(queue.sessionStarted(1)).containsExactly(new WorkQueue.Start(2, WORK, 0), new WorkQueue.Start(3, WORK, 0));
        assertThat(queue.sessionStarted(2)).isEmpty();
        // never more workers than items
        WorkQueue small = new WorkQueue(List.of(file("a.py", 1)), 4, 4);
        small.begin();
        assertThat(small.sessionStarted(1)).isEmpty();
    }

    @Test
    void eachFreeWorkerTakesTheNextItemAndStopsWhenNoneIsLeft() {
        WorkQueue queue = new WorkQueue(WORK, 2, 2);
        queue.begin();
        queue.sessionStarted(1);
        assertThat(queue.ready(2)).containsExactly(new WorkQueue.Send(2, 1, file("a.py", 9)));
        assertThat(queue.ready(1)).containsExactly(new WorkQueue.Send(1, 2, file("b.py", 5)));
        assertThat(queue.done(1)).containsExactly(new WorkQueue.Send(1, 3, file("c.py", 3)));
        assertThat(queue.done(1)).containsExactly(new WorkQueue.Send(1, 4, file("d.py", 1)));
        assertThat(queue.done(1)).containsExactly(new WorkQueue.Stop(1));
        assertThat(queue.done(2)).containsExactly(new WorkQueue.Stop(2));
        assertThat(queue.done(2)).isEmpty(); // told once
        assertThat(queue.finished()).isFalse();
        List<String> collected = List.of("a.py::t", "b.py::t", "c.py::t", "d.py::t");
        queue.exited(1, WorkerEnding.STOPPED, Set.of("b.py::t", "c.py::t", "d.py::t"), collected);
        queue.exited(2, WorkerEnding.STOPPED, Set.of("a.py::t"), collected);
        assertThat(queue.finished()).isTrue();
        assertThat(queue.lost()).isEmpty();
        assertThat(queue.dispatchedTo(1)).extracting(WorkItem::file).containsExactly("b.py", "c.py", "d.py");
    }

    @Test
    void aDeadWorkersUnstartedTestsGoBackFirstAndAReplacementCollectsWhatIsLeft() {
        WorkQueue queue = new WorkQueue(WORK, 2, 2);
        queue.begin();
        queue.sessionStarted(1);
        queue.ready(1); // a.py
        queue.ready(2); // b.py
        queue.done(2);  // c.py
        List<String> collected = List.of("a.py::t1", "a.py::t2", "a.py::t3", "b.py::t1", "c.py::t1", "d.py::t1");
        // w1 crashed in a.py::t2: t1 ran, t2 crashed (it started: it is retried in the next attempt), t3 never ran
        List<WorkQueue.Action> actions = queue.exited(1, WorkerEnding.DIED, Set.of("a.py::t1", "a.py::t2"), collected);
        WorkItem neighbours = new WorkItem("a.py", List.of("a.py::t3"), 3);
        assertThat(actions).containsExactly(new WorkQueue.Start(3, List.of(neighbours, file("d.py", 1)), 1));
        assertThat(queue.replacementsUsed()).isEqualTo(1);
        // w2 (which collected everything) may take the neighbours as well as the replacement
        assertThat(queue.done(2)).containsExactly(new WorkQueue.Send(2, 4, neighbours));
        assertThat(queue.ready(3)).containsExactly(new WorkQueue.Send(3, 5, file("d.py", 1)));
    }

    @Test
    void theHeldLastTestOfAnEarlierFileGoesBackToo() {
        WorkQueue queue = new WorkQueue(WORK, 2, 2);
        queue.begin();
        queue.sessionStarted(1);
        queue.ready(1); // a.py
        queue.done(1);  // b.py: a.py's last test is held until now
        List<String> collected = List.of("a.py::t1", "a.py::t2", "b.py::t1", "b.py::t2", "c.py::t1", "d.py::t1");
        // died while idle: a.py::t2 (held) and all of b.py never started
        List<WorkQueue.Action> actions = queue.exited(1, WorkerEnding.DIED, Set.of("a.py::t1"), collected);
        assertThat(((WorkQueue.Start) actions.get(0)).collecting()).containsExactly(
                new WorkItem("a.py", List.of("a.py::t2"), 4.5), file("b.py", 5), file("c.py", 3), file("d.py", 1));
    }

    @Test
    void aFileTheWorkerAnsweredForIsDoneEvenWithoutTestsButOneItDiedCollectingGoesBack() {
        WorkQueue queue = new WorkQueue(WORK, 1, 1);
        queue.begin();
        queue.ready(1); // a.py
        queue.done(1);  // answered a.py (it held no test); b.py sent
        // workers collect a file when given it: the worker died importing b.py, so nothing of b.py was announced
        List<WorkQueue.Action> actions = queue.exited(1, WorkerEnding.DIED, Set.of(), List.of());
        assertThat(((WorkQueue.Start) actions.get(0)).collecting()).extracting(WorkItem::file)
                .containsExactly("b.py", "c.py", "d.py");
    }

    @Test
    void whenReplacementsRunOutWhatIsLeftIsLost() {
        WorkQueue queue = new WorkQueue(List.of(file("a.py", 2), file("b.py", 1)), 2, 0);
        queue.begin();
        queue.sessionStarted(1);
        queue.ready(1); // a.py
        queue.ready(2); // b.py
        queue.exited(2, WorkerEnding.DIED, Set.of(), List.of("a.py::x", "b.py::y"));
        queue.done(1);
        // w1 collected everything, so it took b.py back after w2 died; it ended before running it
        assertThat(queue.dispatchedTo(1)).extracting(WorkItem::file).containsExactly("a.py", "b.py");
        queue.exited(1, WorkerEnding.STOPPED, Set.of("a.py::x"), List.of("a.py::x", "b.py::y"));
        assertThat(queue.lost()).containsExactly(file("b.py", 1));
        assertThat(queue.finished()).isTrue();
    }

    @Test
    void aWorkerThatEndsByItselfBeforeAnyTestStopsTheOthersAndNothingElseIsHandedOut() {
        WorkQueue queue = new WorkQueue(WORK, 2, 2);
        queue.begin();
        queue.sessionStarted(1);
        queue.ready(1);
        queue.ready(2);
        // a collection error: the session ends by itself before running anything
        assertThat(queue.exited(1, WorkerEnding.ENDED_BY_ITSELF, Set.of(), List.of("a.py::t1")))
                .containsExactly(new WorkQueue.Stop(2));
        assertThat(queue.done(2)).isEmpty();
        queue.exited(2, WorkerEnding.STOPPED, Set.of("b.py::t1"), List.of("b.py::t1"));
        assertThat(queue.endedByItself()).isTrue();
        assertThat(queue.finished()).isTrue();
    }

    @Test
    void aWorkerWhoseSessionStopsEarlyIsReplacedWithoutSpendingTheBudgetAndItsUnstartedTestsGoBack() {
        WorkQueue queue = new WorkQueue(WORK, 2, 0);
        queue.begin();
        queue.sessionStarted(1);
        queue.ready(1); // a.py
        queue.ready(2); // b.py
        // -x after a.py::t1 failed: a.py::t2 never started
        List<WorkQueue.Action> actions = queue.exited(1, WorkerEnding.ENDED_BY_ITSELF, Set.of("a.py::t1"),
                List.of("a.py::t1", "a.py::t2", "b.py::t1", "c.py::t1", "d.py::t1"));
        assertThat(actions).hasSize(1).first().isInstanceOf(WorkQueue.Start.class);
        WorkQueue.Start replacement = (WorkQueue.Start) actions.get(0);
        assertThat(replacement.replacing()).isEqualTo(1);
        assertThat(replacement.collecting()).extracting(WorkItem::file).containsExactly("a.py", "c.py", "d.py");
        assertThat(replacement.collecting().get(0).ids()).containsExactly("a.py::t2");
        assertThat(queue.endedByItself()).isFalse();
        assertThat(queue.replacementsUsed()).isZero();
        assertThat(queue.finished()).isFalse();
    }

    @Test
    void aWorkerStoppedInAHungTestIsReplacedWithoutSpendingTheBudgetAndTheHungTestIsNotGivenAgain() {
        WorkQueue queue = new WorkQueue(WORK, 2, 0);
        queue.begin();
        queue.sessionStarted(1);
        queue.ready(1); // a.py
        queue.ready(2); // b.py
        // a.py::t1 ran past its timeout: bktec killed w1; a.py::t2 never started
        List<WorkQueue.Action> actions = queue.exited(1, WorkerEnding.STOPPED_RUNNING_A_TEST, Set.of("a.py::t1"),
                List.of("a.py::t1", "a.py::t2"));
        assertThat(actions).singleElement().isInstanceOfSatisfying(WorkQueue.Start.class, start -> {
            assertThat(start.replacing()).isEqualTo(1);
            assertThat(start.collecting().get(0).ids()).containsExactly("a.py::t2");
        });
        assertThat(queue.replacementsUsed()).isZero();
        // a module whose import hung counts as started: nobody is given it again
        WorkQueue collecting = new WorkQueue(WORK, 1, 0);
        collecting.begin();
        collecting.sessionStarted(1);
        collecting.ready(1); // a.py, whose collection hangs
        assertThat(collecting.exited(1, WorkerEnding.STOPPED_RUNNING_A_TEST, Set.of("a.py"), List.of()))
                .singleElement().isInstanceOfSatisfying(WorkQueue.Start.class, start ->
                        assertThat(start.collecting()).extracting(WorkItem::file).containsExactly("b.py", "c.py", "d.py"));
    }

    @Test
    void aCancelledWorkerIsNotReplacedAndTheOthersAreStopped() {
        WorkQueue queue = new WorkQueue(WORK, 2, 2);
        queue.begin();
        queue.sessionStarted(1);
        queue.ready(1);
        queue.ready(2);
        List<WorkQueue.Action> actions = queue.exited(1, WorkerEnding.CANCELLED, Set.of("a.py::t1"),
                List.of("a.py::t1"));
        assertThat(actions).containsExactly(new WorkQueue.Stop(2));
        assertThat(queue.replacementsUsed()).isZero();
    }

    @Test
    void aFirstWorkerWithoutAStreamWasNoWorkerAndNobodyElseStarts() {
        WorkQueue queue = new WorkQueue(WORK, 2, 2);
        queue.begin();
        assertThat(queue.exited(1, WorkerEnding.NO_STREAM, Set.of(), List.of())).isEmpty();
        assertThat(queue.firstEnding()).isEqualTo(WorkerEnding.NO_STREAM);
        assertThat(queue.finished()).isTrue();
    }

    @Test
    void aReplacementIsOnlyGivenWhatItCollected() {
        WorkQueue queue = new WorkQueue(List.of(file("a.py", 3), file("b.py", 2), file("c.py", 1)), 2, 2);
        queue.begin();
        queue.sessionStarted(1);
        queue.ready(1); // a.py
        queue.ready(2); // b.py
        List<WorkQueue.Action> start = queue.exited(1, WorkerEnding.DIED, Set.of("a.py::1"), List.of("a.py::1"));
        assertThat(((WorkQueue.Start) start.get(0)).collecting()).containsExactly(file("c.py", 1));
        // w2 dies after taking c.py: its items go back, and w3 (collecting only c.py) cannot run b.py
        queue.done(2); // c.py
        queue.exited(2, WorkerEnding.DIED, Set.of(), List.of("b.py::1", "c.py::1"));
        assertThat(queue.ready(3)).containsExactly(new WorkQueue.Send(3, 4, file("c.py", 1)));
    }
}
