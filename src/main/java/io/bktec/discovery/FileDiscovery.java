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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Walks the working directory for test files where pytest's collection would walk, so that {@code bktec run} runs
 * the tests {@code pytest} would run:
 * <ul>
 *   <li>from the user's pattern's literal directory when it names one (an explicit path, walked as pytest walks an
 *   argument: whatever its name), else from pytest's {@code testpaths} when pytest would use them, else from the
 *   working directory;</li>
 *   <li>never into a directory matching {@code norecursedirs}, a virtualenv or conda environment (unless
 *   {@code --collect-in-virtualenv}), an {@code --ignore}d path, {@code __pycache__} or {@code node_modules};</li>
 *   <li>taking the files the user's pattern matches (bktec's glob rules), or else the {@code .py} files matching
 *   {@code python_files}; the user's exclude pattern prunes files and directories on top.</li>
 * </ul>
 * Each directory's entries are walked in byte order, directory symlinks are followed (a loop is reported and
 * skipped). Entries whose type the listing gives (plain files and directories, on Linux) are not stat'ed.
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

    public DiscoveryResult find(DiscoveryRequest request) throws DiscoveryException {
        String home = System.getProperty("user.home");
        GlobPattern include;
        Pattern exclude;
        try {
            include = request.filePattern().isPresent() ? GlobPattern.compile(request.filePattern().get(), home) : null;
            exclude = request.excludePattern().isEmpty() ? null : GlobPattern.compileWhole(request.excludePattern(), home);
        } catch (GlobSyntaxException e) {
            throw new DiscoveryException(e.getMessage());
        }
        String patternRoot = include == null ? "." : include.root();
        Walk walk = new Walk(include, exclude, new CollectionRules(request.pytest(), workingDirectory),
                patternRoot.equals(".") ? "" : patternRoot);
        List<String> roots = roots(patternRoot, request.pytest());
        for (String root : roots) {
            walk.root(root);
        }
        // testpaths may overlap ("tests" and "tests/unit"): each file once, where it was first found
        List<String> files = roots.size() == 1 ? walk.found : new ArrayList<>(new LinkedHashSet<>(walk.found));
        return new DiscoveryResult(files, walk.skipped);
    }

    /** Where walks start, relative to the pattern's root: its own root, or testpaths, or the working directory. */
    private List<String> roots(String patternRoot, PytestCollectionConfig pytest) {
        if (!patternRoot.equals(".") || !pytest.testpathsApply(workingDirectory)) {
            return List.of("");
        }
        List<String> roots = new ArrayList<>();
        for (String testpath : pytest.testpaths()) {
            roots.addAll(PythonGlob.expand(workingDirectory, testpath));
        }
        // pytest, too, searches from the current directory when testpaths match nothing.
        return roots.isEmpty() ? List.of("") : roots.stream().map(FileDiscovery::clean).toList();
    }

    private static String clean(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(".") ? "" : p;
    }

    /** One discovery: its matchers, what it found and what it left out. */
    private final class Walk {
        private final GlobPattern.Matching include;
        private final Matcher exclude;
        private final CollectionRules rules;
        private final String displayRoot;
        private final Path patternRootPath;
        private final List<String> found = new ArrayList<>();
        private final List<DiscoveryResult.Skipped> skipped = new ArrayList<>();
        private final Set<Object> ancestors = new HashSet<>();

        Walk(GlobPattern include, Pattern exclude, CollectionRules rules, String displayRoot) {
            this.include = include == null ? null : include.matching();
            this.exclude = exclude == null ? null : exclude.matcher("");
            this.rules = rules;
            this.displayRoot = displayRoot;
            this.patternRootPath = workingDirectory.resolve(displayRoot.isEmpty() ? "." : displayRoot);
        }

        /** Walks a start: a directory (all of it) or a file (itself), given relative to the pattern's root. */
        void root(String relative) {
            Path path = relative.isEmpty() ? patternRootPath : patternRootPath.resolve(relative);
            for (int slash = relative.indexOf('/'); slash > 0; slash = relative.indexOf('/', slash + 1)) {
                if (excluded(relative.substring(0, slash))) {
                    return; // a testpaths entry inside an excluded directory
                }
            }
            if (Files.isDirectory(path) && !excluded(relative)) {
                walk(path, relative, true);
            } else if (Files.isRegularFile(path) && !excluded(relative)) {
                int slash = relative.lastIndexOf('/');
                String parent = slash < 0 ? "" : relative.substring(0, slash);
                String name = relative.substring(slash + 1);
                // An explicit file is collected whatever python_files says, as pytest collects its arguments.
                if (include != null ? include.matches(parent, name) : name.endsWith(".py")) {
                    found.add(display(relative));
                }
            }
        }

        /** @param explicit a start of the walk: entered whatever its name, as pytest enters its arguments */
        private void walk(Path dir, String relative, boolean explicit) {
            Object key = fileKey(dir);
            if (key != null && !ancestors.add(key)) {
                warnings.accept("skipping " + display(relative) + ": directory symlink loop");
                return;
            }
            try {
                List<DirectoryEntry> entries = list(dir, relative);
                if (entries == null) {
                    return;
                }
                if (!explicit) {
                    Optional<String> environment = rules.environmentIn(dir, entries);
                    if (environment.isPresent()) {
                        skipped.add(new DiscoveryResult.Skipped(display(relative), environment.get(), true));
                        return;
                    }
                }
                entries.sort(BY_NAME);
                for (DirectoryEntry entry : entries) {
                    visit(dir, relative, entry);
                }
            } finally {
                if (key != null) {
                    ancestors.remove(key);
                }
            }
        }

        private void visit(Path dir, String relative, DirectoryEntry entry) {
            String name = entry.name();
            if (name.equals("node_modules") || name.equals("__pycache__")) {
                return;
            }
            // Joined only when needed: most entries of a big tree are files that do not match.
            String childRelative = null;
            if (exclude != null) {
                childRelative = join(relative, name);
                if (excluded(childRelative)) {
                    return;
                }
            }
            DirectoryEntry.Type type = entry.type();
            if (type == DirectoryEntry.Type.SYMLINK || type == DirectoryEntry.Type.UNKNOWN) {
                type = typeFollowingLinks(dir.resolve(name));
            }
            if (type == DirectoryEntry.Type.DIRECTORY) {
                Path child = dir.resolve(name);
                Optional<CollectionRules.Skip> skip = rules.skipDirectory(child, name);
                if (skip.isPresent()) {
                    skipped.add(new DiscoveryResult.Skipped(display(childRelative != null ? childRelative
                            : join(relative, name)), skip.get().reason(), skip.get().virtualenv()));
                    return;
                }
                walk(child, childRelative != null ? childRelative : join(relative, name), false);
            } else if (type == DirectoryEntry.Type.REGULAR_FILE && matches(dir, relative, name)
                    && !rules.ignoredFile(dir, name)) {
                found.add(display(childRelative != null ? childRelative : join(relative, name)));
            }
        }

        private boolean matches(Path dir, String relative, String name) {
            return include != null ? include.matches(relative, name) : rules.testModule(dir, name);
        }

        private boolean excluded(String relative) {
            return exclude != null && exclude.reset(display(relative)).matches();
        }

        /** The entries, or null (after a warning) when the directory cannot be read. */
        private List<DirectoryEntry> list(Path dir, String relative) {
            try {
                return lister.list(dir);
            } catch (IOException | RuntimeException e) {
                // Asked again through the JDK, which says why in its words (or reads what the native listing could not).
            }
            try {
                return portableLister.list(dir);
            } catch (IOException | RuntimeException e) {
                warnings.accept("skipping " + display(relative) + ": " + e.getMessage());
                return null;
            }
        }

        private String display(String relative) {
            if (displayRoot.isEmpty()) {
                return relative.isEmpty() ? "." : relative;
            }
            if (relative.isEmpty()) {
                return displayRoot;
            }
            return displayRoot.endsWith("/") ? displayRoot + relative : displayRoot + "/" + relative;
        }
    }

    /** One stat, following links; OTHER for a broken link or an entry that vanished. */
    static DirectoryEntry.Type typeFollowingLinks(Path path) {
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
