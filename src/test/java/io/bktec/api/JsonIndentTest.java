package io.bktec.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonIndentTest {
    @Test
    void indentsAsGoDoesWithTwoSpaces() {
        assertThat(JsonIndent.indent("{\"a\":1,\"b\":[1, 2],\"c\":{},\"d\":[ ],\"e\":{\"f\":null}}")).isEqualTo("""
                {
                  "a": 1,
                  "b": [
                    1,
                    2
                  ],
                  "c": {},
                  "d": [],
                  "e": {
                    "f": null
                  }
                }""");
    }

    @Test
    void onlyWhitespaceBetweenTokensChanges() throws Exception {
        String received = "{ \"unknown\" : { \"n\": 1.50e+2, \"s\": \"a \\\" b\\\\\", \"u\": \"\\u00e9 , { : \" },\n"
                + "\t\"tasks\": {\"0\": {\"tests\": [ {\"path\": \"x y.py\"} ]}}, \"t\": true }";
        String indented = JsonIndent.indent(received);
        assertThat(indented).contains("\"n\": 1.50e+2").contains("\"s\": \"a \\\" b\\\\\"")
                .contains("\"u\": \"\\u00e9 , { : \"").contains("\"path\": \"x y.py\"");
        assertThat(indented.replaceAll("\\s", "")).isEqualTo(received.replaceAll("\\s", ""));
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(indented)).isEqualTo(json.readTree(received));
        assertThat(JsonIndent.indent(indented)).isEqualTo(indented);
    }
}
