package io.bktec.run;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The slots of one attempt's test processes above concurrency 1: each process that starts takes the lowest free slot
 * and gives it back when it ends, so the processes running at once always hold distinct slots within
 * {@code 0 … count-1}; a replacement worker takes the slot of the worker it replaces. Thread-safe.
 */
final class IdentitySlots {
    private final int count;
    private final String runId;
    private final BitSet held = new BitSet();
    /** Worker number → its slot, so that a replacement can take its predecessor's. */
    private final Map<Integer, Integer> byWorker = new HashMap<>();

    IdentitySlots(int count, String runId) {
        this.count = Math.max(1, count);
        this.runId = runId;
    }

    /** An identity a process holds until it ends; giving it back twice gives it back once. */
    final class Held {
        private final WorkerIdentity identity;
        private final AtomicBoolean given = new AtomicBoolean();

        private Held(WorkerIdentity identity) {
            this.identity = identity;
        }

        WorkerIdentity identity() {
            return identity;
        }

        void giveBack() {
            if (given.compareAndSet(false, true)) {
                synchronized (IdentitySlots.this) {
                    held.clear(identity.slot());
                }
            }
        }
    }

    /** The lowest free slot, now held. */
    synchronized Held take() {
        int slot = held.nextClearBit(0);
        if (slot >= count) {
            throw new IllegalStateException("more test processes at once than the " + count + " slots");
        }
        held.set(slot);
        return new Held(new WorkerIdentity(slot, count, runId));
    }

    /**
     * A worker's identity, now held: its predecessor's slot when it replaces one (and that slot is free, as it is once
     * the predecessor has ended), else the lowest free slot.
     */
    synchronized Held takeFor(int worker, int replacing) {
        Integer predecessor = byWorker.get(replacing);
        Held taken;
        if (replacing > 0 && predecessor != null && !held.get(predecessor)) {
            held.set(predecessor);
            taken = new Held(new WorkerIdentity(predecessor, count, runId));
        } else {
            taken = take();
        }
        byWorker.put(worker, taken.identity().slot());
        return taken;
    }
}
