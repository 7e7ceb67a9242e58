package io.bktec.config;

import java.util.Optional;

/**
 * A tag filter: run only the tests marked {@code @pytest.mark.execution_tag(key, value)}. One {@code key:value}, split
 * at the first colon (the value may hold more), matched exactly on both, as buildkite-test-collector's
 * {@code --tag-filters} does.
 */
public record TagFilter(String key, String value) {
    /** The filter in a setting's text; empty when it is not {@code key:value} with both parts given. */
    public static Optional<TagFilter> parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new TagFilter(text.substring(0, colon), text.substring(colon + 1)));
    }

    /** The value of the collector's {@code --tag-filters} option. */
    public String argument() {
        return key + ":" + value;
    }

    /** The pytest arguments that make the collector apply the filter during collection. */
    public java.util.List<String> pytestArguments() {
        return java.util.List.of("--tag-filters", argument());
    }
}
