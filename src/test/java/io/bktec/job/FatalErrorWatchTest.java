package io.bktec.job;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

class FatalErrorWatchTest {
    @Test
    void aLinkageErrorInAScheduledTaskFailsTheRunInsteadOfLeavingItWaitingAndCancelsIt() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Mono<Integer> stuck = Mono.fromCallable(() -> 1).subscribeOn(Schedulers.boundedElastic())
                .map(v -> {
                    throw new NoClassDefFoundError("javax/xml/stream/XMLInputFactory");
                })
                .then(Mono.<Integer>never())
                .doOnCancel(() -> cancelled.set(true));
        // without the watch the error dies with its task and the chain never ends
        StepVerifier.create(stuck).expectSubscription().expectNoEvent(Duration.ofMillis(300)).thenCancel()
                .verify(Duration.ofSeconds(5));

        cancelled.set(false);
        StepVerifier.create(Mono.firstWithSignal(FatalErrorWatch.<Integer>escapedErrors(), stuck))
                .expectErrorSatisfies(e -> org.assertj.core.api.Assertions.assertThat(e)
                        .isInstanceOf(NoClassDefFoundError.class).hasMessageContaining("XMLInputFactory"))
                .verify(Duration.ofSeconds(5));
        org.assertj.core.api.Assertions.assertThat(cancelled).isTrue();
    }

    @Test
    void aRunThatEndsNormallyIsUntouched() {
        StepVerifier.create(Mono.firstWithSignal(FatalErrorWatch.<Integer>escapedErrors(),
                Mono.just(3).delayElement(Duration.ofMillis(20)))).expectNext(3).verifyComplete();
    }
}
