package io.bktec.process;

import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessRegistryTest {
    private final List<String> sent = new CopyOnWriteArrayList<>();

    private boolean record(int pgid, int signal) {
        sent.add(pgid + ":" + signal);
        return true;
    }

    @Test
    void cancelForwardsAtOnceAndKillsSurvivorsOnlyAfterTheGracePeriod() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ProcessRegistry registry = new ProcessRegistry(Duration.ofSeconds(10), time, this::record);
        assertThat(registry.register(100)).isTrue();
        assertThat(registry.register(200)).isTrue();
        registry.cancel(Signals.SIGTERM);
        assertThat(sent).containsExactlyInAnyOrder("100:15", "200:15");
        assertThat(registry.sent(100, Signals.SIGTERM)).isTrue();
        assertThat(registry.cancelSignal()).hasValue(15);

        registry.unregister(200); // exited on SIGTERM
        time.advanceTimeBy(Duration.ofMillis(9_999));
        assertThat(sent).doesNotContain("100:9");
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(sent).contains("100:9").doesNotContain("200:9");
    }

    @Test
    void secondSignalIsForwardedButDoesNotRestartTheGracePeriod() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ProcessRegistry registry = new ProcessRegistry(Duration.ofSeconds(5), time, this::record);
        registry.register(300);
        registry.cancel(Signals.SIGTERM);
        time.advanceTimeBy(Duration.ofSeconds(3));
        registry.cancel(Signals.SIGINT);
        assertThat(sent).containsExactly("300:15", "300:2");
        assertThat(registry.cancelSignal()).hasValue(15);
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(sent).last().isEqualTo("300:9");
    }

    @Test
    void escalationWaitsExactlyTheGracePeriodInVirtualTime() {
        StepVerifier.withVirtualTime(() -> {
                    ProcessRegistry registry = new ProcessRegistry(Duration.ofSeconds(10), Schedulers.parallel(), this::record);
                    registry.register(400);
                    return registry.killAfterGracePeriod();
                })
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(10))
                .verifyComplete();
        assertThat(sent).containsExactly("400:9");
    }

    @Test
    void aProcessStartingAfterTheCancelIsKilledAndRefused() {
        ProcessRegistry registry = new ProcessRegistry(Duration.ofSeconds(1), VirtualTimeScheduler.create(), this::record);
        registry.cancel(Signals.SIGINT);
        assertThat(registry.register(500)).isFalse();
        assertThat(sent).containsExactly("500:9");
        assertThat(registry.running()).isZero();
    }
}
