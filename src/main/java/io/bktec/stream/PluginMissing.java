package io.bktec.stream;

import io.bktec.outcome.StreamOutcome;

/**
 * Whether a pytest process stopped before any test for want of bktec's plugin, and how that showed: the one reading of
 * a process's {@link PluginImportWatch} and results stream, for batches and workers alike.
 */
public enum PluginMissing {
    NO,
    /** pytest could not import the plugin (a wrapper replaced PYTHONPATH but kept PYTEST_PLUGINS). */
    IMPORT_FAILED,
    /** pytest did not know the plugin's --bktec-planned option: the plugin was never loaded (the environment dropped). */
    OPTION_UNKNOWN;

    /** Said once when pytest stopped on the plugin's option. */
    public static final String OPTION_UNKNOWN_NOTICE = "pytest did not know bktec's " + PlannedCollection.OPTION
            + " option, so bktec's plugin was not loaded (the test command may not pass the environment on to "
            + "pytest); from now on bktec hands pytest each test file as an argument";

    /** A session that started had the plugin, whatever its output said. */
    public static PluginMissing of(PluginImportWatch watch, StreamOutcome stream) {
        if (stream.sessionStarted()) {
            return NO;
        }
        return watch.importFailed() ? IMPORT_FAILED : watch.plannedOptionUnknown() ? OPTION_UNKNOWN : NO;
    }
}
