package io.bktec.process;

import reactor.core.publisher.Mono;

import java.util.List;

/** Starts a test command when subscribed and tells how it ended. */
@FunctionalInterface
public interface ProcessLauncher {
    Mono<ChildExit> run(List<String> argv, OutputSink output);
}
