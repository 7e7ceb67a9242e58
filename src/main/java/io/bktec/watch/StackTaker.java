package io.bktec.watch;

import reactor.core.publisher.Mono;

import java.nio.file.Path;

/** Takes the stacks of a test's process: the signal bktec's plugin armed faulthandler on, and what it wrote. */
@FunctionalInterface
public interface StackTaker {
    /**
     * @param pid    the test's process (pytest itself, not its process group: only pytest has the handler)
     * @param signal the signal its plugin named in its "stacks" event
     * @param file   where the plugin's faulthandler writes
     * @return the stacks written, or empty when none came in time
     */
    Mono<Stack> take(long pid, int signal, Path file);
}
