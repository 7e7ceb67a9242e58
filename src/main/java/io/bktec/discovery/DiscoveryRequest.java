package io.bktec.discovery;

import java.util.Optional;

/**
 * What to discover.
 *
 * @param filePattern    the user's glob (BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN); without one, pytest's
 *                       {@code python_files} decide which files are tests
 * @param excludePattern the user's exclude glob, or empty
 * @param pytest         pytest's configuration: what collection walks into, and where it starts
 */
public record DiscoveryRequest(Optional<String> filePattern, String excludePattern, PytestCollectionConfig pytest) {
}
