package io.bktec.api;

import reactor.core.publisher.Mono;

import java.util.List;

/** Expands test files into the node ids of their tests (pytest --collect-only). */
@FunctionalInterface
public interface ExampleExpander {
    Mono<List<String>> expand(List<String> files);
}
