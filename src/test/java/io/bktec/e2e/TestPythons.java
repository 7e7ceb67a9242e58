package io.bktec.e2e;

import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;
import java.util.List;

/**
 * The Pythons whose pytest comes with the plugins bktec is tested against (pytest-cov, pytest-xdist, pytest-timeout):
 * one virtualenv per supported pytest, named in BKTEC_TEST_PYTHONS by scripts/test-all.sh, which makes them first.
 */
final class TestPythons {
    private TestPythons() {
    }

    static List<String> all() {
        String named = System.getenv().getOrDefault("BKTEC_TEST_PYTHONS", "");
        List<String> pythons = Arrays.stream(named.split(":")).filter(p -> !p.isBlank()).toList();
        Assumptions.assumeFalse(pythons.isEmpty(), "BKTEC_TEST_PYTHONS names no Python with pytest-cov "
                + "(scripts/test-all.sh makes them)");
        return pythons;
    }

    /** The newest supported pytest's. */
    static String newest() {
        List<String> pythons = all();
        return pythons.get(pythons.size() - 1);
    }
}
