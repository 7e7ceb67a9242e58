package io.bktec.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RetryLimitTest {
    @Test
    void aCountOrAPercentageIsALimitAndAnythingElseIsNot() {
        assertThat(RetryLimit.parse("50")).contains(new RetryLimit(50, -1));
        assertThat(RetryLimit.parse(" 10% ")).contains(new RetryLimit(-1, 10));
        assertThat(RetryLimit.parse("2.5%")).contains(new RetryLimit(-1, 2.5));
        assertThat(RetryLimit.parse("0")).contains(new RetryLimit(0, -1));
        for (String bad : List.of("", "ten", "-1", "10 percent", "101%", "-5%", "%", "1.5")) {
            assertThat(RetryLimit.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void moreFailuresThanTheLimitExceedItAndAsManyDoNot() {
        RetryLimit fifty = RetryLimit.parse("50").orElseThrow();
        assertThat(fifty.exceededBy(50, 60)).isFalse();
        assertThat(fifty.exceededBy(51, 60)).isTrue();
        RetryLimit tenPercent = RetryLimit.parse("10%").orElseThrow();
        assertThat(tenPercent.exceededBy(60, 600)).isFalse();
        assertThat(tenPercent.exceededBy(61, 600)).isTrue();
        assertThat(tenPercent.exceededBy(500, 600)).isTrue();
        assertThat(tenPercent.exceededBy(0, 0)).isFalse();
    }

    @Test
    void itDescribesItselfAsTheMessageNeedsIt() {
        assertThat(RetryLimit.parse("10%").orElseThrow().describe()).isEqualTo("the 10 % limit");
        assertThat(RetryLimit.parse("2.5%").orElseThrow().describe()).isEqualTo("the 2.5 % limit");
        assertThat(RetryLimit.parse("50").orElseThrow().describe()).isEqualTo("the limit of 50");
    }
}
