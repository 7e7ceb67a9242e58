package io.bktec.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Caps the threads of the numeric libraries (OpenMP, OpenBLAS, MKL, Accelerate, numexpr) in each test process when
 * bktec runs several at once. Each of those libraries sizes its pool to every core of the machine, so N processes
 * would start N pools each as large as the machine, whose threads spin and contend with the other processes' tests
 * (measured on networkx's tests at concurrency 2 on 2 cores: 7 % more CPU and 6 % more wall than with one thread
 * each). The cores are shared out as joblib does for its workers: cores / concurrency, at least one.
 * A user who sets any of these variables has chosen for the suite, so then none is set.
 */
public final class NativeThreadLimits {
    /** The variables the common numeric libraries read for their pool size. */
    public static final List<String> VARIABLES = List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
            "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS");

    private NativeThreadLimits() {
    }

    /** The variables to add to each test process's environment; none at concurrency 1 or when the user set one. */
    public static Map<String, String> forProcesses(int concurrency, int cores, Map<String, String> environment) {
        if (concurrency <= 1 || VARIABLES.stream().anyMatch(environment::containsKey)) {
            return Map.of();
        }
        String threads = Integer.toString(Math.max(1, cores / concurrency));
        Map<String, String> limits = new LinkedHashMap<>();
        VARIABLES.forEach(name -> limits.put(name, threads));
        return limits;
    }
}
