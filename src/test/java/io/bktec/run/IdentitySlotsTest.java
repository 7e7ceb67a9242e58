package io.bktec.run;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentitySlotsTest {
    @Test
    void anIdentityIsPytestXdistsThreeVariables() {
        assertThat(new WorkerIdentity(1, 4, "abc").environment()).isEqualTo(Map.of("PYTEST_XDIST_WORKER", "gw1",
                "PYTEST_XDIST_WORKER_COUNT", "4", "PYTEST_XDIST_TESTRUNUID", "abc"));
        assertThat(WorkerIdentity.newRunId()).matches("[0-9a-f]{32}").isNotEqualTo(WorkerIdentity.newRunId());
        assertThatThrownBy(() -> new WorkerIdentity(2, 2, "abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void processesTakeTheLowestFreeSlotAndGiveItBackOnce() {
        IdentitySlots slots = new IdentitySlots(2, "run");
        IdentitySlots.Held first = slots.take();
        IdentitySlots.Held second = slots.take();
        assertThat(List.of(first.identity().slot(), second.identity().slot())).containsExactly(0, 1);
        assertThatThrownBy(slots::take).isInstanceOf(IllegalStateException.class);
        first.giveBack();
        first.giveBack(); // twice is once: it never frees a slot someone else has taken since
        IdentitySlots.Held third = slots.take();
        assertThat(third.identity().slot()).isZero();
        assertThatThrownBy(slots::take).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aReplacementTakesItsPredecessorsSlotOnceItIsFree() {
        IdentitySlots slots = new IdentitySlots(3, "run");
        slots.takeFor(1, 0);
        IdentitySlots.Held w2 = slots.takeFor(2, 0);
        slots.takeFor(3, 0);
        w2.giveBack();
        assertThat(slots.takeFor(4, 2).identity().slot()).isEqualTo(1);
        // a predecessor whose slot is still held (it has not ended): the lowest free slot instead
        IdentitySlots busy = new IdentitySlots(2, "run");
        busy.takeFor(1, 0);
        assertThat(busy.takeFor(2, 1).identity().slot()).isEqualTo(1);
    }

    /** Whatever the order of starts and ends, the processes running at once hold distinct slots within the count. */
    @Property
    void runningProcessesHoldDistinctSlots(@ForAll @IntRange(min = 1, max = 8) int count,
                                           @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 9) Integer> steps) {
        IdentitySlots slots = new IdentitySlots(count, "run");
        List<IdentitySlots.Held> running = new ArrayList<>();
        for (int step : steps) {
            if (step < 5 && running.size() < count) {
                running.add(slots.take());
            } else if (!running.isEmpty()) {
                running.remove(step % running.size()).giveBack();
            }
            List<Integer> held = running.stream().map(h -> h.identity().slot()).toList();
            assertThat(held).doesNotHaveDuplicates().allSatisfy(slot -> assertThat(slot).isBetween(0, count - 1));
        }
    }
}
