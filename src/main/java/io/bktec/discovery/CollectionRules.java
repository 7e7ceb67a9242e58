package io.bktec.discovery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * pytest's rules for what collection walks into and which files are test modules ({@code pytest_ignore_collect} and
 * {@code pytest_collect_file}), from one {@link PytestCollectionConfig}. Patterns are matched as pytest's
 * {@code fnmatch_ex} does: one without a slash against the name, one with a slash against the whole path.
 */
final class CollectionRules {
    /** Why a directory is left out; {@code virtualenv} when it is a virtual or conda environment. */
    record Skip(String reason, boolean virtualenv) {
    }

    private final PytestCollectionConfig config;
    private final Path workingDirectory;
    private final NamedPatterns norecursedirs;
    private final NamedPatterns pythonFiles;
    private final List<Path> ignore = new ArrayList<>();
    private final List<Pattern> ignoreGlobs = new ArrayList<>();
    private final String norecursedirsSource;

    CollectionRules(PytestCollectionConfig config, Path workingDirectory) {
        this.config = config;
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
        this.norecursedirs = new NamedPatterns(config.norecursedirs());
        this.pythonFiles = new NamedPatterns(config.pythonFiles());
        config.ignore().forEach(p -> ignore.add(this.workingDirectory.resolve(p).normalize()));
        config.ignoreGlobs().forEach(g -> ignoreGlobs.add(FnMatch.compile(
                this.workingDirectory.resolve(g).normalize().toString())));
        this.norecursedirsSource = config.norecursedirs().equals(PytestCollectionConfig.DEFAULT_NORECURSEDIRS)
                ? "pytest's default" : config.configFile().map(f -> "set in " + f.getFileName()).orElse("pytest's default");
    }

    /** Why pytest would not walk into this directory (met while walking, not a start of the walk), if it would not. */
    Optional<Skip> skipDirectory(Path dir, String name) {
        String why = null;
        if (!ignore.isEmpty() || !ignoreGlobs.isEmpty()) {
            why = ignored(dir);
        }
        if (why == null) {
            Optional<String> pattern = norecursedirs.match(name, dir);
            if (pattern.isPresent()) {
                why = "matches norecursedirs \"" + pattern.get() + "\" (" + norecursedirsSource + ")";
            }
        }
        if (why == null) {
            return Optional.empty();
        }
        // Named for what it is: a user told "skipped the virtualenv .venv" knows why their vendored tests did not run.
        Optional<String> environment = config.collectInVirtualenv() ? Optional.empty() : environmentAt(dir);
        return Optional.of(environment.map(e -> new Skip(e, true)).orElse(new Skip(why, false)));
    }

    /** Whether a directory being walked is a virtual or conda environment, from its own listing (no extra stat). */
    Optional<String> environmentIn(Path dir, List<DirectoryEntry> entries) {
        if (config.collectInVirtualenv()) {
            return Optional.empty();
        }
        for (DirectoryEntry entry : entries) {
            if (entry.name().equals("pyvenv.cfg") && isFile(entry, dir)) {
                return Optional.of("a virtualenv (pyvenv.cfg)");
            }
            if (entry.name().equals("conda-meta") && Files.isRegularFile(dir.resolve("conda-meta/history"))) {
                return Optional.of("a conda environment (conda-meta/history)");
            }
        }
        return Optional.empty();
    }

    private static boolean isFile(DirectoryEntry entry, Path dir) {
        DirectoryEntry.Type type = entry.type();
        if (type == DirectoryEntry.Type.SYMLINK || type == DirectoryEntry.Type.UNKNOWN) {
            type = FileDiscovery.typeFollowingLinks(dir.resolve(entry.name()));
        }
        return type == DirectoryEntry.Type.REGULAR_FILE;
    }

    private static Optional<String> environmentAt(Path dir) {
        if (Files.isRegularFile(dir.resolve("pyvenv.cfg"))) {
            return Optional.of("a virtualenv (pyvenv.cfg)");
        }
        if (Files.isRegularFile(dir.resolve("conda-meta/history"))) {
            return Optional.of("a conda environment (conda-meta/history)");
        }
        return Optional.empty();
    }

    /** Whether {@code --ignore}/{@code --ignore-glob} leave out this file. */
    boolean ignoredFile(Path dir, String name) {
        return (!ignore.isEmpty() || !ignoreGlobs.isEmpty()) && ignored(dir.resolve(name)) != null;
    }

    private String ignored(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        for (Path ignored : ignore) {
            if (absolute.equals(ignored)) {
                return "--ignore " + workingDirectory.relativize(ignored);
            }
        }
        String text = absolute.toString();
        for (int i = 0; i < ignoreGlobs.size(); i++) {
            if (ignoreGlobs.get(i).matcher(text).matches()) {
                return "--ignore-glob " + config.ignoreGlobs().get(i);
            }
        }
        return null;
    }

    /** Whether pytest takes this file for a test module: a {@code .py} file matching {@code python_files}. */
    boolean testModule(Path dir, String name) {
        return name.endsWith(".py")
                && pythonFiles.match(name, pythonFiles.hasPathPatterns() ? dir.resolve(name) : null).isPresent();
    }

    /** Patterns matched as {@code fnmatch_ex}: one regex for all the name patterns, since most checks miss. */
    private static final class NamedPatterns {
        private final List<String> namePatterns = new ArrayList<>();
        private final List<Pattern> nameRegexes = new ArrayList<>();
        private final Pattern anyName;
        private final List<String> pathPatterns = new ArrayList<>();
        private final List<Pattern> pathRegexes = new ArrayList<>();

        NamedPatterns(List<String> patterns) {
            StringBuilder any = new StringBuilder();
            for (String pattern : patterns) {
                if (pattern.contains("/")) {
                    pathPatterns.add(pattern);
                    // A relative pattern matches at the end of the absolute path, as pytest prefixes it with "*/".
                    pathRegexes.add(FnMatch.compile(pattern.startsWith("/") ? pattern : "*/" + pattern));
                } else {
                    Pattern regex = FnMatch.compile(pattern);
                    namePatterns.add(pattern);
                    nameRegexes.add(regex);
                    any.append(any.isEmpty() ? "" : "|").append("(?:").append(regex.pattern()).append(')');
                }
            }
            anyName = any.isEmpty() ? null : Pattern.compile(any.toString(), Pattern.DOTALL);
        }

        boolean hasPathPatterns() {
            return !pathPatterns.isEmpty();
        }

        /** The first pattern matching, if any; {@code path} is needed only with path patterns. */
        Optional<String> match(String name, Path path) {
            if (anyName != null && anyName.matcher(name).matches()) {
                for (int i = 0; i < nameRegexes.size(); i++) {
                    if (nameRegexes.get(i).matcher(name).matches()) {
                        return Optional.of(namePatterns.get(i));
                    }
                }
            }
            if (!pathPatterns.isEmpty() && path != null) {
                String text = path.toAbsolutePath().normalize().toString();
                for (int i = 0; i < pathRegexes.size(); i++) {
                    if (pathRegexes.get(i).matcher(text).matches()) {
                        return Optional.of(pathPatterns.get(i));
                    }
                }
            }
            return Optional.empty();
        }
    }
}
