package io.bktec.runner;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CollectorVersionTest {
    @Test
    void onlyReleasesAfterOnePointTwoPointZeroFilterTags() {
        assertThat(CollectorVersion.filtersTags("1.2.1")).isTrue();
        assertThat(CollectorVersion.filtersTags("1.3")).isTrue();
        assertThat(CollectorVersion.filtersTags("1.10.0b1")).isTrue(); // PEP 440, which bktec's semver check refuses
        assertThat(CollectorVersion.filtersTags("2")).isTrue();
        assertThat(CollectorVersion.filtersTags("1.8.0+standin")).isTrue();
        assertThat(CollectorVersion.filtersTags("1.2.0")).isFalse();
        assertThat(CollectorVersion.filtersTags("1.2")).isFalse();
        assertThat(CollectorVersion.filtersTags("1.1.9")).isFalse();
        assertThat(CollectorVersion.filtersTags("0.0.0+standin")).isFalse();
        assertThat(CollectorVersion.filtersTags("unknown")).isFalse();
        assertThat(CollectorVersion.filtersTags("")).isFalse();
    }
}
