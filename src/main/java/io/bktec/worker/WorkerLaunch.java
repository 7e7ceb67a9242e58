package io.bktec.worker;

import java.util.List;
import java.util.Map;

/**
 * What starts one worker process: the command (pytest's own, or the fork client's around it) and the variables set
 * for it on top of the run's environment (bktec's plugin and its stream; the fork server to ask, when forked).
 */
public record WorkerLaunch(List<String> argv, Map<String, String> environment) {
    public WorkerLaunch {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    /** The same launch with more variables (replacing any of the same name). */
    public WorkerLaunch with(Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.putAll(more);
        return new WorkerLaunch(argv, all);
    }
}
