package io.bktec.process;

import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/** Starts a test command when subscribed and tells how it ended. */
@FunctionalInterface
public interface ProcessLauncher {
    /** @param environment variables set for this process on top of the launcher's own environment */
    Mono<ChildExit> run(List<String> argv, Map<String, String> environment, OutputSink output);

    /** As {@link #run(List, Map, OutputSink)}, for a child that reads lines from {@code input} (a pytest worker). */
    default Mono<ChildExit> run(List<String> argv, Map<String, String> environment, OutputSink output,
                                ProcessInput input) {
        return Mono.error(new UnsupportedOperationException("this launcher cannot feed a child's standard input"));
    }
}
