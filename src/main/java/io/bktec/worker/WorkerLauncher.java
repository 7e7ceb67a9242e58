package io.bktec.worker;

import java.util.List;

/** Starts workers for the dispatcher. */
@FunctionalInterface
public interface WorkerLauncher {
    /**
     * @param number     the worker's number in this attempt, from 1
     * @param collecting what it must collect (it can run only that)
     * @param replacing  the dead worker it replaces, or 0
     */
    WorkerHandle start(int number, List<WorkItem> collecting, int replacing);
}
