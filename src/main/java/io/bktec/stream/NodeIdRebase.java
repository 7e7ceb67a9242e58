package io.bktec.stream;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * pytest's node ids are relative to its rootdir; bktec runs tests by ids relative to its own working directory.
 * When the two directories differ (a pytest.ini above the working directory, or a wrapper that changes directory),
 * the file part of each id is moved from one to the other. Pure: paths are only computed, never looked up.
 */
final class NodeIdRebase {
    private final Path rootdir;
    private final Path workingDirectory;
    private final Map<String, String> files = new HashMap<>();

    private NodeIdRebase(Path rootdir, Path workingDirectory) {
        this.rootdir = rootdir;
        this.workingDirectory = workingDirectory;
    }

    /** No rebasing: ids stay as pytest wrote them. */
    static NodeIdRebase none() {
        return new NodeIdRebase(null, null);
    }

    static NodeIdRebase between(String rootdir, Path workingDirectory) {
        try {
            Path root = Path.of(rootdir).toAbsolutePath().normalize();
            Path here = workingDirectory.toAbsolutePath().normalize();
            return rootdir.isEmpty() || root.equals(here) ? none() : new NodeIdRebase(root, here);
        } catch (InvalidPathException e) {
            return none();
        }
    }

    /** The id that runs the same test from the working directory. */
    String runnable(String pytestNodeId) {
        if (rootdir == null || pytestNodeId.isEmpty()) {
            return pytestNodeId;
        }
        int separator = pytestNodeId.indexOf("::");
        String file = separator < 0 ? pytestNodeId : pytestNodeId.substring(0, separator);
        String rest = separator < 0 ? "" : pytestNodeId.substring(separator);
        return files.computeIfAbsent(file, this::moved) + rest;
    }

    private String moved(String file) {
        try {
            String relative = workingDirectory.relativize(rootdir.resolve(file).normalize()).toString();
            return relative.isEmpty() ? "." : relative;
        } catch (IllegalArgumentException e) { // also InvalidPathException
            return file;
        }
    }
}
