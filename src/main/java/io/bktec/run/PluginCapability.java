package io.bktec.run;

import io.bktec.stream.PluginMissing;

import java.util.Optional;

/**
 * What bktec's pytest plugin can do in this run now, owned here and nowhere else: whether test processes get it
 * (their results streamed), whether they are handed their tests as one planned list (else each file as an argument),
 * and whether persistent workers can be used. It only ever loses ground, one transition at a time, and each
 * transition gives the notice that tells the user, once.
 */
final class PluginCapability {
    /** Told when pytest stopped for want of the plugin's import: the test command replaced PYTHONPATH. */
    static final String IMPORT_FAILED_CAUSE = "pytest could not import bktec's plugin (the test command sets "
            + "PYTHONPATH itself but keeps PYTEST_PLUGINS)";
    static final String IMPORT_FAILED_FIX = "Add to PYTHONPATH instead of replacing it, or set "
            + "BUILDKITE_TEST_ENGINE_RESULTS_STREAM=false";

    private boolean streaming;
    private boolean planning = true;
    private boolean workersUsable = true;

    /** @param streaming whether the plugin is installed and on for this run */
    PluginCapability(boolean streaming) {
        this.streaming = streaming;
    }

    /** Test processes get the plugin and write a results stream. */
    synchronized boolean streaming() {
        return streaming;
    }

    /** A process's tests go to the plugin as one planned list, not each file as an argument. */
    synchronized boolean planning() {
        return streaming && planning;
    }

    /** An attempt may run with persistent workers (which need the plugin). */
    synchronized boolean workersUsable() {
        return streaming && workersUsable;
    }

    /**
     * A batch's pytest stopped before any test for want of the plugin: without it from now on (it could not be
     * imported), or with each file as an argument (its option was unknown: it was not loaded).
     *
     * @return the notice to print, the first time this happens
     */
    synchronized Optional<String> batchStopped(PluginMissing how) {
        if (how == PluginMissing.IMPORT_FAILED && streaming) {
            streaming = false;
            return Optional.of(IMPORT_FAILED_CAUSE + ", so it stopped before running tests; bktec runs without the "
                    + "plugin from now on. " + IMPORT_FAILED_FIX);
        }
        if (how == PluginMissing.OPTION_UNKNOWN && planning) {
            planning = false;
            return Optional.of(PluginMissing.OPTION_UNKNOWN_NOTICE);
        }
        return Optional.empty();
    }

    /**
     * The first worker of an attempt had no results stream: no workers from now on.
     *
     * @param how why, as pytest's output showed it ({@link PluginMissing#NO}: it said nothing, and ran every test as
     *            a plain pytest)
     */
    synchronized NoWorkers firstWorkerHadNoStream(PluginMissing how) {
        workersUsable = false;
        if (how == PluginMissing.OPTION_UNKNOWN) {
            return new NoWorkers(batchStopped(how), false);
        }
        if (how == PluginMissing.IMPORT_FAILED) {
            boolean told = streaming;
            streaming = false;
            return new NoWorkers(told ? Optional.of(IMPORT_FAILED_CAUSE + ", so there are no workers: running the "
                    + "tests in batches without the plugin. " + IMPORT_FAILED_FIX) : Optional.empty(), false);
        }
        return new NoWorkers(Optional.of("pytest did not load bktec's plugin, so there are no workers: the first one "
                + "ran all of this node's tests as a single pytest; later attempts use batches"), true);
    }

    /**
     * What became of an attempt whose first worker had no stream.
     *
     * @param notice    what to tell the user, if anything is new
     * @param runStands the worker ran every test as a plain pytest, and that run stands; else the attempt runs again
     *                  in batches
     */
    record NoWorkers(Optional<String> notice, boolean runStands) {
    }
}
