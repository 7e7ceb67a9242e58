package io.bktec.worker;

import java.util.List;
import java.util.Set;

/** What a worker tells the dispatcher, from its results stream and its process. */
public sealed interface WorkerEvent {
    /** Its results stream began: bktec's plugin is loaded. */
    record SessionStarted() implements WorkerEvent {
    }

    /** It collected its tests and waits for a command. */
    record Ready() implements WorkerEvent {
    }

    /** It finished a command and waits for the next. */
    record Done(long command) implements WorkerEvent {
    }

    /**
     * Its process ended; the last event.
     *
     * @param started   tests it started, as node ids that run from the working directory
     * @param collected tests it collected, likewise
     */
    record Exited(WorkQueue.Ending ending, Set<String> started, List<String> collected) implements WorkerEvent {
        public Exited {
            started = Set.copyOf(started);
            collected = List.copyOf(collected);
        }
    }
}
