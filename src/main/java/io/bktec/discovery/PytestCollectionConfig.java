package io.bktec.discovery;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What decides where pytest's collection walks, as pytest's configuration says it.
 *
 * @param configFile          the file pytest takes its configuration from, if any
 * @param rootdir             pytest's rootdir: the configuration file's directory, else the working directory
 * @param norecursedirs       directory patterns pytest does not recurse into
 * @param testpaths           where pytest looks when run without arguments from its rootdir
 * @param pythonFiles         test module patterns
 * @param ignore              {@code --ignore} paths from {@code addopts} and PYTEST_ADDOPTS
 * @param ignoreGlobs         {@code --ignore-glob} patterns from the same
 * @param collectInVirtualenv {@code --collect-in-virtualenv} was given: virtualenvs are walked like any directory
 */
public record PytestCollectionConfig(Optional<Path> configFile, Path rootdir, List<String> norecursedirs,
                                     List<String> testpaths, List<String> pythonFiles, List<String> ignore,
                                     List<String> ignoreGlobs, boolean collectInVirtualenv) {
    public static final List<String> DEFAULT_NORECURSEDIRS = List.of("*.egg", ".*", "_darcs", "build", "CVS", "dist",
            "node_modules", "venv", "{arch}");
    public static final List<String> DEFAULT_PYTHON_FILES = List.of("test_*.py", "*_test.py");

    public PytestCollectionConfig {
        norecursedirs = List.copyOf(norecursedirs);
        testpaths = List.copyOf(testpaths);
        pythonFiles = List.copyOf(pythonFiles);
        ignore = List.copyOf(ignore);
        ignoreGlobs = List.copyOf(ignoreGlobs);
    }

    /** pytest's defaults, as with no configuration file. */
    public static PytestCollectionConfig defaults(Path rootdir) {
        return new PytestCollectionConfig(Optional.empty(), rootdir, DEFAULT_NORECURSEDIRS, List.of(),
                DEFAULT_PYTHON_FILES, List.of(), List.of(), false);
    }

    /** pytest uses testpaths only when it runs from its rootdir with no test arguments. */
    public boolean testpathsApply(Path workingDirectory) {
        return !testpaths.isEmpty()
                && rootdir.toAbsolutePath().normalize().equals(workingDirectory.toAbsolutePath().normalize());
    }
}
