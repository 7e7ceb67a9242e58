package io.bktec.discovery;

import io.bktec.plan.PathOrder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Walks the working directory for test files as bktec does: from the include pattern's literal root, depth first,
 * each directory's entries in byte order, following directory symlinks (a loop is reported and skipped, never
 * followed forever), pruning {@code node_modules} and anything the exclude pattern matches. Returned paths are
 * joined to the root without a leading {@code ./}.
 */
public final class FileDiscovery {
    private final Path workingDirectory;
    private final Consumer<String> warnings;

    public FileDiscovery(Path workingDirectory, Consumer<String> warnings) {
        this.workingDirectory = workingDirectory;
        this.warnings = warnings;
    }

    public List<String> find(String includePattern, String excludePattern) throws DiscoveryException {
        String home = System.getProperty("user.home");
        GlobPattern include;
        Pattern exclude;
        try {
            include = GlobPattern.compile(includePattern, home);
            exclude = excludePattern.isEmpty() ? null : GlobPattern.compileWhole(excludePattern, home);
        } catch (GlobSyntaxException e) {
            throw new DiscoveryException(e.getMessage());
        }
        List<String> found = new ArrayList<>();
        Path root = workingDirectory.resolve(include.root());
        if (Files.isDirectory(root)) {
            String displayRoot = include.root().equals(".") ? "" : include.root();
            walk(root, displayRoot, "", include, exclude, new HashSet<>(), found);
        }
        return found;
    }

    private void walk(Path dir, String displayRoot, String relative, GlobPattern include, Pattern exclude,
                      Set<Object> ancestors, List<String> found) {
        Object key = fileKey(dir);
        if (key != null && !ancestors.add(key)) {
            warnings.accept("skipping " + display(displayRoot, relative) + ": directory symlink loop");
            return;
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (IOException | SecurityException e) {
            warnings.accept("skipping " + display(displayRoot, relative) + ": " + e.getMessage());
            if (key != null) {
                ancestors.remove(key);
            }
            return;
        }
        names.sort(PathOrder.BYTES);
        for (String name : names) {
            if (name.equals("node_modules")) {
                continue;
            }
            String childRelative = relative.isEmpty() ? name : relative + "/" + name;
            if (exclude != null && exclude.matcher(display(displayRoot, childRelative)).matches()) {
                continue;
            }
            Path child = dir.resolve(name);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(child, BasicFileAttributes.class); // one stat, following links
            } catch (IOException e) {
                continue; // a broken link, or an entry that vanished
            }
            if (attributes.isDirectory()) {
                walk(child, displayRoot, childRelative, include, exclude, ancestors, found);
            } else if (attributes.isRegularFile() && include.matches(childRelative, name)) {
                found.add(display(displayRoot, childRelative));
            }
        }
        if (key != null) {
            ancestors.remove(key);
        }
    }

    private static String display(String root, String relative) {
        if (root.isEmpty()) {
            return relative.isEmpty() ? "." : relative;
        }
        if (relative.isEmpty()) {
            return root;
        }
        return root.endsWith("/") ? root + relative : root + "/" + relative;
    }

    private static Object fileKey(Path dir) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class);
            Object key = attributes.fileKey();
            return key != null ? key : dir.toRealPath(LinkOption.NOFOLLOW_LINKS).toString();
        } catch (IOException e) {
            return null;
        }
    }
}
