package io.bktec.discovery;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import io.bktec.shell.ShellSyntaxException;
import io.bktec.shell.ShellWords;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds and reads pytest's configuration the way pytest 9 chooses it when run without arguments: from the working
 * directory upward, the first directory holding one of {@code pytest.toml}, {@code .pytest.toml}, {@code pytest.ini},
 * {@code .pytest.ini}, {@code pyproject.toml} ({@code [tool.pytest]} or {@code [tool.pytest.ini_options]}),
 * {@code tox.ini} ({@code [pytest]}), {@code setup.cfg} ({@code [tool:pytest]}), in that order, where
 * {@code pytest.ini} and {@code pytest.toml} count even when empty. Only the options that decide what collection walks
 * into are kept, plus the {@code --ignore}, {@code --ignore-glob}, {@code --collect-in-virtualenv} and
 * {@code --rootdir} of {@code addopts} and PYTEST_ADDOPTS.
 */
public final class PytestConfigReader {
    static final List<String> CONFIG_NAMES = List.of("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini",
            "pyproject.toml", "tox.ini", "setup.cfg");

    private final Consumer<String> warnings;

    public PytestConfigReader(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    /** The configuration pytest would use, run from {@code workingDirectory} with this environment. */
    public PytestCollectionConfig read(Path workingDirectory, Map<String, String> env) {
        Path here = workingDirectory.toAbsolutePath().normalize();
        Path firstPyproject = null;
        for (Path base = here; base != null; base = base.getParent()) {
            for (String name : CONFIG_NAMES) {
                Path file = base.resolve(name);
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                if (name.equals("pyproject.toml") && firstPyproject == null) {
                    firstPyproject = file;
                }
                Optional<Map<String, Object>> options = load(file);
                if (options.isPresent()) {
                    return config(Optional.of(file), base, options.get(), here, env);
                }
            }
        }
        // A pyproject.toml without pytest options still makes its directory the rootdir (pytest 8.1+).
        Path rootdir = firstPyproject != null ? firstPyproject.getParent() : here;
        return config(Optional.ofNullable(firstPyproject), rootdir, Map.of(), here, env);
    }

    /** The file's pytest options (a String or a List of Strings each), or empty when it holds no pytest section. */
    Optional<Map<String, Object>> load(Path file) {
        String name = file.getFileName().toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            warnings.accept("could not read " + file + " (" + e.getMessage() + "); it is not used for discovery");
            return Optional.empty();
        }
        try {
            if (name.endsWith(".ini")) {
                IniFile ini = IniFile.parse(text);
                if (ini.hasSection("pytest")) {
                    return Optional.of(new LinkedHashMap<>(ini.section("pytest")));
                }
                return name.equals("pytest.ini") || name.equals(".pytest.ini") ? Optional.of(Map.of()) : Optional.empty();
            }
            if (name.endsWith(".cfg")) {
                IniFile ini = IniFile.parse(text);
                return ini.hasSection("tool:pytest") ? Optional.of(new LinkedHashMap<>(ini.section("tool:pytest")))
                        : Optional.empty();
            }
            return toml(name, text);
        } catch (IniFile.IniSyntaxException | IOException e) {
            // pytest stops on such a file too and will say so when it runs; discovery goes on with its defaults.
            warnings.accept("could not read pytest's configuration in " + file + " (" + e.getMessage()
                    + "); discovering with pytest's defaults");
            return Optional.of(Map.of());
        }
    }

    private static Optional<Map<String, Object>> toml(String name, String text) throws IOException {
        boolean pytestToml = name.equals("pytest.toml") || name.equals(".pytest.toml");
        if (!text.contains("pytest")) {
            // Parsing TOML costs class loading on every run; a pyproject.toml that never says pytest needs none.
            return pytestToml ? Optional.of(Map.of()) : Optional.empty();
        }
        Map<String, Object> document;
        // The streaming parser, not an ObjectMapper: a cold JVM reads a pyproject.toml in a third of the time.
        try (JsonParser parser = new TomlFactory().createParser(text)) {
            document = table(parser.nextToken() == JsonToken.START_OBJECT ? value(parser) : null);
        }
        if (pytestToml) {
            return Optional.of(strings(table(document.get("pytest"))));
        }
        Object tool = table(document.get("tool")).get("pytest");
        if (!(tool instanceof Map)) {
            return Optional.empty();
        }
        Map<String, Object> pytest = table(tool);
        Map<String, Object> nativeOptions = new LinkedHashMap<>(pytest);
        nativeOptions.remove("ini_options");
        if (!nativeOptions.isEmpty()) {
            return Optional.of(strings(nativeOptions));
        }
        return pytest.containsKey("ini_options") ? Optional.of(strings(table(pytest.get("ini_options"))))
                : Optional.empty();
    }

    /** The value at the parser's current token: a Map for a table, a List for an array, else its text. */
    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Object> table = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                table.put(key, value(parser));
            }
            return table;
        }
        if (token == JsonToken.START_ARRAY) {
            List<Object> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(value(parser));
            }
            return items;
        }
        return parser.getText();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> table(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    /** Option values as pytest sees them in its ini mode: lists of strings stay lists, anything else is text. */
    private static Map<String, Object> strings(Map<String, Object> options) {
        Map<String, Object> values = new LinkedHashMap<>();
        options.forEach((key, value) -> values.put(key, value instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : String.valueOf(value)));
        return values;
    }

    private PytestCollectionConfig config(Optional<Path> file, Path base, Map<String, Object> options, Path here,
                                          Map<String, String> env) {
        String where = file.map(Path::toString).orElse("pytest's configuration");
        List<String> addopts = new ArrayList<>(args(options, "addopts", List.of(), where));
        String envAddopts = env.getOrDefault("PYTEST_ADDOPTS", "");
        if (!envAddopts.isBlank()) {
            addopts.addAll(split(envAddopts, "PYTEST_ADDOPTS", List.of()));
        }
        List<String> ignore = new ArrayList<>();
        List<String> ignoreGlobs = new ArrayList<>();
        boolean inVirtualenv = false;
        Path rootdir = base;
        for (int i = 0; i < addopts.size(); i++) {
            String option = addopts.get(i);
            String next = i + 1 < addopts.size() ? addopts.get(i + 1) : null;
            if (option.equals("--collect-in-virtualenv")) {
                inVirtualenv = true;
            } else if (option.startsWith("--ignore=")) {
                ignore.add(option.substring("--ignore=".length()));
            } else if (option.startsWith("--ignore-glob=")) {
                ignoreGlobs.add(option.substring("--ignore-glob=".length()));
            } else if (option.startsWith("--rootdir=")) {
                rootdir = here.resolve(option.substring("--rootdir=".length())).normalize();
            } else if (next != null && (option.equals("--ignore") || option.equals("--ignore-glob")
                    || option.equals("--rootdir"))) {
                switch (option) {
                    case "--ignore" -> ignore.add(next);
                    case "--ignore-glob" -> ignoreGlobs.add(next);
                    default -> rootdir = here.resolve(next).normalize();
                }
                i++;
            }
        }
        return new PytestCollectionConfig(file, rootdir,
                args(options, "norecursedirs", PytestCollectionConfig.DEFAULT_NORECURSEDIRS, where),
                args(options, "testpaths", List.of(), where),
                args(options, "python_files", PytestCollectionConfig.DEFAULT_PYTHON_FILES, where),
                ignore, ignoreGlobs, inVirtualenv);
    }

    /** An ini option of pytest's type "args": a list as given, or a string split as Python's shlex splits it. */
    @SuppressWarnings("unchecked")
    private List<String> args(Map<String, Object> options, String name, List<String> fallback, String where) {
        Object value = options.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof List<?> list) {
            return (List<String>) list;
        }
        return split((String) value, name + " in " + where, fallback);
    }

    private List<String> split(String text, String what, List<String> fallback) {
        try {
            return ShellWords.split(text);
        } catch (ShellSyntaxException e) {
            warnings.accept("could not split " + what + " (" + e.getMessage() + "); using pytest's default");
            return fallback;
        }
    }
}
