package io.bktec.worker;

import java.util.List;
import java.util.Optional;
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
     * Its process ended; the last event, and the one way its end travels: the dispatch collects it.
     *
     * @param started   tests it started, as node ids that run from the working directory
     * @param collected tests it collected, likewise
     * @param finished  how it ended and its results; empty when it failed before it could run
     */
    record Exited(WorkerEnding ending, Set<String> started, List<String> collected,
                  Optional<PytestWorker.Finished> finished) implements WorkerEvent {
        public Exited {
            started = Set.copyOf(started);
            collected = List.copyOf(collected);
        }

        public Exited(WorkerEnding ending, Set<String> started, List<String> collected) {
            this(ending, started, collected, Optional.empty());
        }
    }
}
