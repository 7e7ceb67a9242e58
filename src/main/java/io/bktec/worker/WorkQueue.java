package io.bktec.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scheduling decisions for a node's workers, without any I/O: told what the workers do, it says what to do next.
 * <ul>
 *   <li>The first worker starts alone; the others start once its results stream has begun, so a pytest that does not
 *   load bktec's plugin (which would make every worker run every test) costs one process, not N.</li>
 *   <li>A worker that is ready, or done with its last item, gets the next item it collected, in queue order
 *   (longest first); with nothing left it is told to stop.</li>
 *   <li>A worker that dies puts what it was given and did not start back at the front of the queue, and a replacement
 *   starts for the rest of the queue while the run's replacement budget lasts.</li>
 *   <li>A worker whose session stops early after running tests (pytest's {@code -x} or {@code --maxfail},
 *   {@code pytest.exit}, an interrupt) is handled like a dead one, without spending the replacement budget (each such
 *   worker ran a test, so this ends): what it was given and did not start goes back, and a replacement takes over.
 *   pytest's stop options hold per process.</li>
 *   <li>A worker whose session ends by itself before running any test (a collection error) stops the dispatch: the
 *   others are told to stop, as pytest stops.</li>
 * </ul>
 * Not thread-safe: the dispatcher calls it one event at a time.
 */
public final class WorkQueue {
    /** What to do next. */
    public sealed interface Action permits Start, Send, Stop {
    }

    /** Start worker {@code worker}, collecting these items; {@code replacing} is the worker it replaces, or 0. */
    public record Start(int worker, List<WorkItem> collecting, int replacing) implements Action {
    }

    /** Tell {@code worker} to run {@code item}; it answers "done" with {@code command}. */
    public record Send(int worker, long command, WorkItem item) implements Action {
    }

    /** Tell {@code worker} to end its session. */
    public record Stop(int worker) implements Action {
    }

    private static final class Worker {
        final int number;
        final Set<String> files = new HashSet<>();
        final Set<String> ids = new HashSet<>();
        final List<WorkItem> dispatched = new ArrayList<>();
        /** How many of the dispatched items the worker answered "done" for (so it collected them). */
        int answered;
        boolean stopSent;
        boolean exited;

        Worker(int number, Collection<WorkItem> collecting) {
            this.number = number;
            for (WorkItem item : collecting) {
                if (item.wholeFile()) {
                    files.add(item.file());
                } else {
                    ids.addAll(item.ids());
                }
            }
        }

        boolean canRun(WorkItem item) {
            return files.contains(item.file()) || (!item.wholeFile() && ids.containsAll(item.ids()));
        }
    }

    private final List<WorkItem> all;
    private final Deque<WorkItem> queue;
    private final int slots;
    private int replacementsLeft;
    private int replacementsUsed;
    private final Map<Integer, Worker> workers = new LinkedHashMap<>();
    private int nextWorker = 1;
    private long nextCommand = 1;
    private boolean othersStarted;
    private boolean dispatchStopped;
    private boolean endedByItself;
    private WorkerEnding firstEnding;
    private final List<WorkItem> lost = new ArrayList<>();

    /**
     * @param items        the work, in the order it should be handed out
     * @param slots        workers at once
     * @param replacements how many dead workers may be replaced
     */
    public WorkQueue(List<WorkItem> items, int slots, int replacements) {
        this.all = List.copyOf(items);
        this.queue = new ArrayDeque<>(items);
        this.slots = Math.max(1, Math.min(slots, items.size()));
        this.replacementsLeft = replacements;
    }

    /** The first worker, collecting everything. */
    public List<Action> begin() {
        if (all.isEmpty()) {
            return List.of();
        }
        return List.of(start(all, 0));
    }

    private Start start(List<WorkItem> collecting, int replacing) {
        Worker worker = new Worker(nextWorker++, collecting);
        workers.put(worker.number, worker);
        return new Start(worker.number, List.copyOf(collecting), replacing);
    }

    /** The worker's results stream has begun: the plugin is loaded, so the other workers can start. */
    public List<Action> sessionStarted(int worker) {
        if (othersStarted || dispatchStopped) {
            return List.of();
        }
        othersStarted = true;
        List<Action> actions = new ArrayList<>();
        for (int i = 1; i < slots; i++) {
            actions.add(start(all, 0));
        }
        return actions;
    }

    /** The worker collected its tests and waits. */
    public List<Action> ready(int worker) {
        return idle(workers.get(worker));
    }

    /** The worker finished its last command and waits. */
    public List<Action> done(int worker) {
        Worker w = workers.get(worker);
        if (w != null) {
            w.answered++;
        }
        return idle(w);
    }

    private List<Action> idle(Worker worker) {
        if (worker == null || worker.stopSent || worker.exited) {
            return List.of();
        }
        if (!dispatchStopped) {
            for (Iterator<WorkItem> it = queue.iterator(); it.hasNext(); ) {
                WorkItem item = it.next();
                if (worker.canRun(item)) {
                    it.remove();
                    worker.dispatched.add(item);
                    return List.of(new Send(worker.number, nextCommand++, item));
                }
            }
        }
        worker.stopSent = true;
        return List.of(new Stop(worker.number));
    }

    /**
     * The worker's process has ended.
     *
     * @param started   tests it started (ran, or was running when it died), as node ids
     * @param collected the tests it collected, as node ids, or empty when it never got that far
     */
    public List<Action> exited(int number, WorkerEnding ending, Set<String> started, List<String> collected) {
        Worker worker = workers.get(number);
        worker.exited = true;
        if (firstEnding == null) {
            firstEnding = ending;
        }
        List<WorkItem> unfinished = unfinished(worker, started, collected);
        List<Action> actions = new ArrayList<>();
        boolean stoppedEarly = ending == WorkerEnding.ENDED_BY_ITSELF && !started.isEmpty()
                || ending == WorkerEnding.STOPPED_RUNNING_A_TEST;
        if (ending == WorkerEnding.DIED || stoppedEarly) {
            List<WorkItem> back = new ArrayList<>(unfinished);
            java.util.Collections.reverse(back);
            back.forEach(queue::addFirst);
            boolean budget = stoppedEarly || replacementsLeft > 0;
            if (!dispatchStopped && !queue.isEmpty() && budget) {
                if (!stoppedEarly) {
                    replacementsLeft--;
                    replacementsUsed++;
                }
                actions.add(start(new ArrayList<>(queue), number));
            }
        } else if (ending == WorkerEnding.STOPPED) {
            lost.addAll(unfinished);
        } else {
            dispatchStopped = true;
            endedByItself |= ending == WorkerEnding.ENDED_BY_ITSELF;
            lost.addAll(unfinished);
            stopOthers(actions);
        }
        if (finished()) {
            lost.addAll(queue);
            queue.clear();
        } else if (!queue.isEmpty() && workers.values().stream().noneMatch(w -> !w.exited && !w.stopSent
                && queue.stream().anyMatch(w::canRun))) {
            // No live worker will ask for what is left: it is lost unless a replacement was just started for it.
            if (actions.stream().noneMatch(a -> a instanceof Start)) {
                lost.addAll(queue);
                queue.clear();
            }
        }
        return actions;
    }

    private void stopOthers(List<Action> actions) {
        for (Worker other : workers.values()) {
            if (!other.exited && !other.stopSent) {
                other.stopSent = true;
                actions.add(new Stop(other.number));
            }
        }
    }

    /** What was handed to the worker and never started: its tests, from what it collected. */
    private static List<WorkItem> unfinished(Worker worker, Set<String> started, List<String> collected) {
        Map<String, List<String>> collectedByFile = new LinkedHashMap<>();
        for (String id : collected) {
            collectedByFile.computeIfAbsent(WorkItem.fileOf(id), f -> new ArrayList<>()).add(id);
        }
        List<WorkItem> unfinished = new ArrayList<>();
        for (int i = 0; i < worker.dispatched.size(); i++) {
            WorkItem item = worker.dispatched.get(i);
            boolean collectedThere = i < worker.answered || collectedByFile.containsKey(item.file());
            if (item.wholeFile() && !collectedThere) {
                // What the file holds is unknown (the worker died collecting it, or it holds no test): all of it
                // goes back unless some of it ran.
                if (started.stream().noneMatch(id -> WorkItem.fileOf(id).equals(item.file()))) {
                    unfinished.add(item);
                }
                continue;
            }
            List<String> expected = item.wholeFile() ? collectedByFile.getOrDefault(item.file(), List.of()) : item.ids();
            Set<String> remaining = new LinkedHashSet<>(expected);
            remaining.removeAll(started);
            if (remaining.isEmpty()) {
                continue;
            }
            unfinished.add(item.wholeFile() && remaining.size() == expected.size() ? item
                    : new WorkItem(item.file(), List.copyOf(remaining), item.weight() * remaining.size() / expected.size()));
        }
        return unfinished;
    }

    /** Every worker started has ended. */
    public boolean finished() {
        return !workers.isEmpty() && workers.values().stream().allMatch(w -> w.exited)
                || all.isEmpty();
    }

    /** Work nobody ran: left when the workers ran out, or handed to a worker that ended without running it. */
    List<WorkItem> lost() {
        return List.copyOf(lost);
    }

    /** How the first worker to end ended (NO_STREAM there means workers cannot be used). */
    WorkerEnding firstEnding() {
        return firstEnding;
    }

    /** A worker's session ended by itself before running any test (a collection error): the dispatch stopped. */
    boolean endedByItself() {
        return endedByItself;
    }

    int replacementsUsed() {
        return replacementsUsed;
    }

    /** The items handed to a worker, in order. */
    public List<WorkItem> dispatchedTo(int worker) {
        Worker w = workers.get(worker);
        return w == null ? List.of() : List.copyOf(w.dispatched);
    }
}
