package io.bktec.discovery;

import java.util.List;

/**
 * The test files found, and the directories the walk left out as pytest would.
 *
 * @param files   paths relative to the working directory (absolute when the pattern was), in walk order
 * @param skipped the directories (and files) left out, with why, in walk order
 */
public record DiscoveryResult(List<String> files, List<Skipped> skipped) {
    public DiscoveryResult {
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
    }

    /**
     * A path the walk did not enter.
     *
     * @param virtualenv it is a virtualenv or conda environment (users are told about those even without debug)
     */
    public record Skipped(String path, String reason, boolean virtualenv) {
    }

    public List<Skipped> virtualenvs() {
        return skipped.stream().filter(Skipped::virtualenv).toList();
    }
}
