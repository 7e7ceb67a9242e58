package io.bktec.run;

import io.bktec.stream.PluginMissing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the plugin can do only ever shrinks, one transition at a time, each told once. */
class PluginCapabilityTest {
    @Test
    void aPluginThatCannotBeImportedIsOffForTheRestOfTheRunToldOnce() {
        PluginCapability plugin = new PluginCapability(true);
        assertThat(plugin.streaming()).isTrue();
        assertThat(plugin.planning()).isTrue();
        assertThat(plugin.workersUsable()).isTrue();
        assertThat(plugin.batchStopped(PluginMissing.IMPORT_FAILED)).hasValueSatisfying(notice -> assertThat(notice)
                .startsWith("pytest could not import bktec's plugin").contains("bktec runs without the plugin"));
        assertThat(plugin.batchStopped(PluginMissing.IMPORT_FAILED)).isEmpty();
        assertThat(plugin.streaming()).isFalse();
        assertThat(plugin.planning()).isFalse();
        assertThat(plugin.workersUsable()).isFalse();
    }

    @Test
    void anUnknownPlannedOptionKeepsTheStreamButHandsFilesAsArguments() {
        PluginCapability plugin = new PluginCapability(true);
        assertThat(plugin.batchStopped(PluginMissing.OPTION_UNKNOWN)).contains(PluginMissing.OPTION_UNKNOWN_NOTICE);
        assertThat(plugin.batchStopped(PluginMissing.OPTION_UNKNOWN)).isEmpty();
        assertThat(plugin.streaming()).isTrue();
        assertThat(plugin.planning()).isFalse();
        assertThat(plugin.batchStopped(PluginMissing.NO)).isEmpty();
    }

    @Test
    void aFirstWorkerWithoutAStreamEndsWorkersAndOnlyAPlainPytestRunStands() {
        PluginCapability silent = new PluginCapability(true);
        PluginCapability.NoWorkers plain = silent.firstWorkerHadNoStream(PluginMissing.NO);
        assertThat(plain.runStands()).isTrue();
        assertThat(plain.notice()).hasValueSatisfying(n -> assertThat(n).contains("later attempts use batches"));
        assertThat(silent.workersUsable()).isFalse();
        assertThat(silent.streaming()).isTrue();

        PluginCapability broken = new PluginCapability(true);
        PluginCapability.NoWorkers imported = broken.firstWorkerHadNoStream(PluginMissing.IMPORT_FAILED);
        assertThat(imported.runStands()).isFalse();
        assertThat(imported.notice()).hasValueSatisfying(n -> assertThat(n).contains("so there are no workers"));
        assertThat(broken.streaming()).isFalse();

        PluginCapability unloaded = new PluginCapability(true);
        assertThat(unloaded.firstWorkerHadNoStream(PluginMissing.OPTION_UNKNOWN))
                .isEqualTo(new PluginCapability.NoWorkers(java.util.Optional.of(PluginMissing.OPTION_UNKNOWN_NOTICE),
                        false));
        assertThat(unloaded.planning()).isFalse();
    }

    @Test
    void aRunWithoutThePluginCanDoNoneOfIt() {
        PluginCapability off = new PluginCapability(false);
        assertThat(off.streaming()).isFalse();
        assertThat(off.planning()).isFalse();
        assertThat(off.workersUsable()).isFalse();
        assertThat(off.batchStopped(PluginMissing.IMPORT_FAILED)).isEmpty();
    }
}
