package io.bktec.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What pytest's collection found in some files.
 *
 * @param tests         each file's tests, in collection order (a file with none is absent)
 * @param uncollectable files pytest could not collect (an import error, say): they run whole, so the error shows
 */
public record TestListing(Map<String, List<String>> tests, Set<String> uncollectable) {
    public TestListing {
        // Collection order is kept: it is what a reader of the listing expects to see.
        tests = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tests));
        uncollectable = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(uncollectable));
    }

    public static TestListing of(Map<String, List<String>> tests) {
        return new TestListing(tests, Set.of());
    }
}
