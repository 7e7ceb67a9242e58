package io.bktec.run;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The identity pytest-xdist gives each of its workers, as bktec gives it to each test process above concurrency 1:
 * the process's slot (gw0 … gw{count-1}; a replacement worker takes its predecessor's), how many slots the attempt
 * has, and one id for the whole run. Suites use it to give each worker a database, port or directory of its own
 * (bktec's plugin also gives pytest-django's config.workerinput and the worker_id and testrun_uid fixtures from it).
 */
record WorkerIdentity(int slot, int count, String runId) {
    static final String WORKER = "PYTEST_XDIST_WORKER";
    static final String COUNT = "PYTEST_XDIST_WORKER_COUNT";
    static final String RUN = "PYTEST_XDIST_TESTRUNUID";

    WorkerIdentity {
        if (slot < 0 || slot >= count) {
            throw new IllegalArgumentException("slot " + slot + " of " + count);
        }
    }

    /** The variables pytest-xdist sets in a worker. */
    Map<String, String> environment() {
        return Map.of(WORKER, "gw" + slot, COUNT, Integer.toString(count), RUN, runId);
    }

    /** A new run's id: 32 hex digits, as pytest-xdist's (uuid4().hex) look; unique, not secret. */
    static String newRunId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("%016x%016x", random.nextLong(), random.nextLong());
    }
}
