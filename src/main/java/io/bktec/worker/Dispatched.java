package io.bktec.worker;

import java.util.List;

/**
 * What a dispatch came to, once every worker it started has ended: the one value its end gives.
 *
 * @param finished         each worker's end and results, in the order they ended
 * @param lost             work no worker ran (the workers ran out, or the dispatch stopped)
 * @param firstEnding      how the first worker to end ended ({@link WorkerEnding#NO_STREAM}: pytest did not load
 *                         bktec's plugin), or null when none started
 * @param endedByItself    a worker's session ended by itself before running any test, which stopped the dispatch
 * @param replacementsUsed dead workers replaced, out of the run's budget
 */
public record Dispatched(List<PytestWorker.Finished> finished, List<WorkItem> lost, WorkerEnding firstEnding,
                         boolean endedByItself, int replacementsUsed) {
    public Dispatched {
        finished = List.copyOf(finished);
        lost = List.copyOf(lost);
    }

    static Dispatched of(WorkQueue queue, List<PytestWorker.Finished> finished) {
        return new Dispatched(finished, queue.lost(), queue.firstEnding(), queue.endedByItself(),
                queue.replacementsUsed());
    }
}
