package io.bktec.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class GoValuesTest {
    @ParameterizedTest
    @CsvSource({"0,0", "7,7", "-3,-3", "+4,4", "0x10,16", "0X1f,31", "0o17,15", "017,15", "0b101,5", "1_000,1000",
            "0x_1f,31", "2147483647,2147483647"})
    void parsesIntsAsGoStrconvBaseZero(String text, int expected) {
        assertThat(GoValues.parseInt(text)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "08", "1.5", "0x", "1__0", "10_", "_1", "2147483648", "1e3", " 1", "--1", "+-1"})
    void rejectsWhatGoRejects(String text) {
        assertThat(GoValues.parseInt(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1,true", "t,true", "T,true", "TRUE,true", "true,true", "True,true", "0,false", "f,false", "F,false",
            "FALSE,false", "false,false", "False,false"})
    void parsesGoBools(String text, boolean expected) {
        assertThat(GoValues.parseBool(text)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "tRUE", "", " true"})
    void rejectsOtherBoolWords(String text) {
        assertThat(GoValues.parseBool(text)).isEmpty();
    }

    @Test
    void parsesGoDurations() {
        assertThat(GoValues.parseDuration("90s")).contains(Duration.ofSeconds(90));
        assertThat(GoValues.parseDuration("4m30s")).contains(Duration.ofSeconds(270));
        assertThat(GoValues.parseDuration("1h")).contains(Duration.ofHours(1));
        assertThat(GoValues.parseDuration("1.5s")).contains(Duration.ofMillis(1500));
        assertThat(GoValues.parseDuration("250ms")).contains(Duration.ofMillis(250));
        assertThat(GoValues.parseDuration("0")).contains(Duration.ZERO);
        assertThat(GoValues.parseDuration("-2s")).contains(Duration.ofSeconds(-2));
        assertThat(GoValues.parseDuration("10")).isEmpty();
        assertThat(GoValues.parseDuration("1x")).isEmpty();
        assertThat(GoValues.parseDuration("")).isEmpty();
        assertThat(GoValues.parseDuration("1..2s")).isEmpty();
    }

    @Test
    void formatsDurationsLikeGo() {
        assertThat(GoValues.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(GoValues.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoValues.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(GoValues.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    }
}
