package io.bktec.discovery;

import io.bktec.plan.PathOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Walks the working directory for test files as bktec does: from the include pattern's literal root, depth first,
 * each directory's entries in byte order, following directory symlinks (a loop is reported and skipped, never
 * followed forever), pruning {@code node_modules} and anything the exclude pattern matches. Returned paths are
 * joined to the root without a leading {@code ./}.
 * <p>
 * Entries whose type the directory listing gives (plain files and directories, on Linux) are not stat'ed; links
 * and entries of unknown type are, following the link.
 */
public final class FileDiscovery {
    private static final Comparator<DirectoryEntry> BY_NAME = Comparator.comparing(DirectoryEntry::name, PathOrder.BYTES);
    private final Path workingDirectory;
    private final Consumer<String> warnings;
    private final DirectoryLister lister;
    private final DirectoryLister portableLister = new JdkDirectoryLister();

    public FileDiscovery(Path workingDirectory, Consumer<String> warnings) {
        this(workingDirectory, warnings, DirectoryLister.best());
    }

    FileDiscovery(Path workingDirectory, Consumer<String> warnings, DirectoryLister lister) {
        this.workingDirectory = workingDirectory;
        this.warnings = warnings;
        this.lister = lister;
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
            walk(root, displayRoot, "", include.matching(), exclude == null ? null : exclude.matcher(""),
                    new HashSet<>(), found);
        }
        return found;
    }

    private void walk(Path dir, String displayRoot, String relative, GlobPattern.Matching include, Matcher exclude,
                      Set<Object> ancestors, List<String> found) {
        Object key = fileKey(dir);
        if (key != null && !ancestors.add(key)) {
            warnings.accept("skipping " + display(displayRoot, relative) + ": directory symlink loop");
            return;
        }
        List<DirectoryEntry> entries = list(dir, displayRoot, relative);
        if (entries == null) {
            if (key != null) {
                ancestors.remove(key);
            }
            return;
        }
        entries.sort(BY_NAME);
        for (DirectoryEntry entry : entries) {
            String name = entry.name();
            if (name.equals("node_modules")) {
                continue;
            }
            // Joined only when needed: most entries of a big tree are files that do not match.
            String childRelative = null;
            if (exclude != null) {
                childRelative = join(relative, name);
                if (exclude.reset(display(displayRoot, childRelative)).matches()) {
                    continue;
                }
            }
            DirectoryEntry.Type type = entry.type();
            if (type == DirectoryEntry.Type.SYMLINK || type == DirectoryEntry.Type.UNKNOWN) {
                type = typeFollowingLinks(dir.resolve(name));
            }
            if (type == DirectoryEntry.Type.DIRECTORY) {
                walk(dir.resolve(name), displayRoot, childRelative != null ? childRelative : join(relative, name),
                        include, exclude, ancestors, found);
            } else if (type == DirectoryEntry.Type.REGULAR_FILE && include.matches(relative, name)) {
                found.add(display(displayRoot, childRelative != null ? childRelative : join(relative, name)));
            }
        }
        if (key != null) {
            ancestors.remove(key);
        }
    }

    /** The entries, or null (after a warning) when the directory cannot be read. */
    private List<DirectoryEntry> list(Path dir, String displayRoot, String relative) {
        try {
            return lister.list(dir);
        } catch (IOException | RuntimeException e) {
            // Asked again through the JDK, which says why in its words (or reads what the native listing could not).
        }
        try {
            return portableLister.list(dir);
        } catch (IOException | RuntimeException e) {
            warnings.accept("skipping " + display(displayRoot, relative) + ": " + e.getMessage());
            return null;
        }
    }

    /** One stat, following links; OTHER for a broken link or an entry that vanished. */
    private static DirectoryEntry.Type typeFollowingLinks(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return attributes.isDirectory() ? DirectoryEntry.Type.DIRECTORY
                    : attributes.isRegularFile() ? DirectoryEntry.Type.REGULAR_FILE : DirectoryEntry.Type.OTHER;
        } catch (IOException | SecurityException e) {
            return DirectoryEntry.Type.OTHER;
        }
    }

    private static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
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
