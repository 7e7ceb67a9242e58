package io.bktec.worker;

import reactor.core.publisher.Flux;

/** A started worker, as the dispatcher drives it. */
public interface WorkerHandle {
    /** Its events, ending with {@link WorkerEvent.Exited}; subscribing starts the worker, cancelling kills it. */
    Flux<WorkerEvent> events();

    /** Writes one command line to its standard input. */
    void send(String command);
}
