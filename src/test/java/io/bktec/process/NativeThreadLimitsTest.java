package io.bktec.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NativeThreadLimitsTest {
    @Test
    void sharesTheCoresOutAmongTheProcesses() {
        assertThat(NativeThreadLimits.forProcesses(2, 8, Map.of()))
                .containsOnlyKeys(NativeThreadLimits.VARIABLES)
                .allSatisfy((name, value) -> assertThat(value).isEqualTo("4"));
    }

    @Test
    void givesEachProcessOneThreadWhenThereAreMoreProcessesThanCores() {
        assertThat(NativeThreadLimits.forProcesses(8, 2, Map.of())).containsEntry("OPENBLAS_NUM_THREADS", "1")
                .containsEntry("OMP_NUM_THREADS", "1");
    }

    @Test
    void leavesConcurrencyOneAlone() {
        assertThat(NativeThreadLimits.forProcesses(1, 8, Map.of())).isEmpty();
    }

    @Test
    void setsNothingWhenTheUserChoseAnyOfThem() {
        assertThat(NativeThreadLimits.forProcesses(4, 8, Map.of("MKL_NUM_THREADS", "3"))).isEmpty();
        assertThat(NativeThreadLimits.forProcesses(4, 8, Map.of("OMP_NUM_THREADS", ""))).isEmpty();
    }

    @Property
    void neverAsksForMoreThreadsThanTheCoresAllowExceptOneEach(@ForAll @IntRange(min = 2, max = 512) int concurrency,
                                                               @ForAll @IntRange(min = 1, max = 512) int cores) {
        int threads = Integer.parseInt(NativeThreadLimits.forProcesses(concurrency, cores, Map.of())
                .get("OPENBLAS_NUM_THREADS"));
        assertThat(threads).isBetween(1, Math.max(1, cores / concurrency));
        assertThat(threads * concurrency <= cores || threads == 1).isTrue();
    }
}
