package io.bktec.jobretry;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RecordCodecTest {
    private static final NodeShare NODE = NodeShare.of("step-1", 0, 2, List.of("tests/test_a.py", "tests/test_b.py"));

    @Property(tries = 200)
    void aRecordThatFitsComesBackAsItWasAndOneThatDoesNotAsItsCount(
            @ForAll @Size(min = 1, max = 60) List<@NotEmpty String> tests, @ForAll boolean tight) {
        FailureRecord.Listed record = new FailureRecord.Listed(NODE, 40, tests.stream().distinct().toList());
        int limit = tight ? 200 : RecordCodec.META_DATA_LIMIT_BYTES;
        RecordCodec.Encoded encoded = RecordCodec.encode(record, limit);
        String value = encoded.value();
        FailureRecord back = RecordCodec.decode(value).orElseThrow();
        assertThat(encoded.stored()).isEqualTo(back);
        if (back instanceof FailureRecord.Listed listed) {
            assertThat(listed).isEqualTo(record);
        } else {
            assertThat(back).isEqualTo(new FailureRecord.TooMany(NODE, 40, record.count()));
            assertThat(tight).isTrue();
        }
        assertThat(value.length()).isLessThanOrEqualTo(Math.max(limit, 200));
    }

    @Test
    void aListOverTheMetaDataLimitIsStoredAsItsCountAlone() {
        Random random = new Random(7);
        List<String> tests = new ArrayList<>();
        for (int i = 0; i < 8000; i++) { // ids that do not compress away: about 200 KB once packed
            tests.add("tests/test_" + Long.toHexString(random.nextLong()) + ".py::test_" + Long.toHexString(random.nextLong()));
        }
        RecordCodec.Encoded encoded = RecordCodec.encode(new FailureRecord.Listed(NODE, 9000, tests),
                RecordCodec.META_DATA_LIMIT_BYTES);
        String value = encoded.value();
        assertThat(value.length()).isLessThan(1000);
        assertThat(RecordCodec.decode(value)).contains(new FailureRecord.TooMany(NODE, 9000, 8000));
        assertThat(encoded.stored()).isEqualTo(new FailureRecord.TooMany(NODE, 9000, 8000));
    }

    @Test
    void anythingButAWholeRecordIsNotOne() {
        String good = RecordCodec.encode(new FailureRecord.Listed(NODE, 40, List.of("t.py::a")), 1000).value();
        String json = "{\"step\":\"s\",\"index\":0,\"parallelism\":1,\"plan\":\"p\",\"share\":4,\"count\":2,"
                + "\"tests\":[\"t.py::a\"]}";
        for (String bad : List.of("", "hello", good.substring(0, good.length() / 2), "bktec1:!!!not base64",
                "bktec2:" + good.substring("bktec1:".length()), "bktec1:" + packed(json),
                "bktec1:" + packed("[1, 2]"), "bktec1:" + packed("{\"step\":\"s\"}"),
                "bktec1:" + Base64.getEncoder().encodeToString("not gzip".getBytes(StandardCharsets.UTF_8)))) {
            assertThat(RecordCodec.decode(bad)).as(bad).isEmpty();
        }
        assertThat(RecordCodec.decode(good + "\n")).isPresent();
    }

    private static String packed(String json) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
