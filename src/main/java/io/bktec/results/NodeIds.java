package io.bktec.results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Rebuilds pytest node ids from what result files report. Pure: the file system is reached only through the
 * predicates it is given, so every mapping can be tested without files.
 */
public final class NodeIds {
    private NodeIds() {
    }

    /**
     * Collector JSON: the node id is {@code scope::name} (or {@code name} when the scope is empty). The collector
     * reports the scope relative to pytest's rootdir but {@code file_name} relative to the working directory; when
     * they name the same file from different directories, the file part is taken from {@code file_name} so the id
     * runs from here.
     */
    public static String fromCollector(String scope, String name, String fileName) {
        if (scope.isEmpty()) {
            return name;
        }
        String joined = scope + "::" + name;
        int end = scope.indexOf("::");
        String scopeFile = end < 0 ? scope : scope.substring(0, end);
        if (fileName.isEmpty() || fileName.equals(scopeFile)) {
            return joined;
        }
        if (scopeFile.endsWith("/" + fileName) || fileName.endsWith("/" + scopeFile)) {
            return fileName + joined.substring(scopeFile.length());
        }
        return joined;
    }

    /** A scope and a test name, as a result format reports a test. */
    public record ScopeAndName(String scope, String name) {
    }

    /** How buildkite-test-collector names a pytest node id: split at its last {@code ::}. */
    public static ScopeAndName collectorScope(String pytestNodeId) {
        int at = pytestNodeId.lastIndexOf("::");
        return at < 0 ? new ScopeAndName("", pytestNodeId)
                : new ScopeAndName(pytestNodeId.substring(0, at), pytestNodeId.substring(at + 2));
    }

    /**
     * How pytest's JUnit XML names a node id (its {@code mangle_test_address}): the part before any {@code [} is split
     * at {@code ::}, the file becomes a dotted module without {@code .py}, the last part (parameters put back) is the
     * name and the rest, joined by dots, the classname.
     */
    public static ScopeAndName junitScope(String pytestNodeId) {
        // Called for every test a run reports: plain index arithmetic, no regular expression.
        int bracket = pytestNodeId.indexOf('[');
        String path = bracket < 0 ? pytestNodeId : pytestNodeId.substring(0, bracket);
        String params = bracket < 0 ? "" : pytestNodeId.substring(bracket);
        int last = path.lastIndexOf("::");
        if (last < 0) {
            return new ScopeAndName("", dottedModule(path) + params);
        }
        int first = path.indexOf("::");
        String classes = first == last ? "" : "." + path.substring(first + 2, last).replace("::", ".");
        return new ScopeAndName(dottedModule(path.substring(0, first)) + classes, path.substring(last + 2) + params);
    }

    private static String dottedModule(String file) {
        String module = file.replace('/', '.');
        return module.endsWith(".py") ? module.substring(0, module.length() - 3) : module;
    }

    /**
     * JUnit XML: maps a dotted classname and test name back to a node id.
     *
     * @param fileAttribute the {@code file} attribute (xunit1 family), or empty
     * @param isFile        whether a relative path names an existing regular file
     * @param isDirectory   whether a relative path names an existing directory
     */
    public static String fromJUnit(String classname, String name, String fileAttribute, Predicate<String> isFile,
                                   Predicate<String> isDirectory) {
        if (classname.isEmpty()) {
            // Collection errors and module-level skips: the name is the dotted module.
            if (!fileAttribute.isEmpty()) {
                return fileAttribute;
            }
            return locateModule(name.split("\\.", -1), isFile, isDirectory).map(m -> m.file).orElse(name);
        }
        return junitPrefix(classname, fileAttribute, isFile, isDirectory) + "::" + name;
    }

    /**
     * The node id of a non-empty JUnit classname without the test name: module file plus classes. It depends on
     * the classname alone, so readers can cache it per class.
     */
    public static String junitPrefix(String classname, String fileAttribute, Predicate<String> isFile,
                                     Predicate<String> isDirectory) {
        List<String> parts = Arrays.asList(classname.split("\\.", -1));
        if (!fileAttribute.isEmpty() && fileAttribute.endsWith(".py")) {
            String dotted = fileAttribute.substring(0, fileAttribute.length() - 3).replace('/', '.');
            if (classname.equals(dotted)) {
                return fileAttribute;
            }
            if (classname.startsWith(dotted + ".")) {
                return fileAttribute + "::" + classname.substring(dotted.length() + 1).replace(".", "::");
            }
        }
        Optional<Module> located = locateModule(parts.toArray(String[]::new), isFile, isDirectory);
        if (located.isPresent()) {
            return join(located.get().file, parts.subList(located.get().partsUsed, parts.size()));
        }
        return heuristicPrefix(parts);
    }

    /** bktec's guess when the file system does not help: see reference §7.4. */
    public static String heuristic(String classname, String name) {
        if (classname.isEmpty()) {
            return name;
        }
        return heuristicPrefix(Arrays.asList(classname.split("\\.", -1))) + "::" + name;
    }

    private static String heuristicPrefix(List<String> parts) {
        int moduleEnd = -1;
        for (int i = parts.size() - 1; i >= 0; i--) {
            String part = parts.get(i);
            if (part.startsWith("test_") || part.endsWith("_test")) {
                moduleEnd = i + 1;
                break;
            }
        }
        if (moduleEnd < 0) {
            moduleEnd = parts.size();
            for (int i = 0; i < parts.size(); i++) {
                String part = parts.get(i);
                if (!part.isEmpty() && part.charAt(0) >= 'A' && part.charAt(0) <= 'Z') {
                    moduleEnd = i;
                    break;
                }
            }
        }
        return join(String.join("/", parts.subList(0, moduleEnd)) + ".py", parts.subList(moduleEnd, parts.size()));
    }

    private static String join(String file, List<String> classes) {
        StringBuilder sb = new StringBuilder(file);
        for (String c : classes) {
            sb.append("::").append(c);
        }
        return sb.toString();
    }

    private record Module(String file, int partsUsed) {
    }

    /**
     * Finds the module file a dotted name refers to, trying every way the dots could have been slashes or literal
     * dots in directory and file names ({@code tests.api.v2.test_x} may be {@code tests/api.v2/test_x.py}). The
     * longest module wins: a lower-case class name is rarer than a nested module.
     */
    private static Optional<Module> locateModule(String[] parts, Predicate<String> isFile, Predicate<String> isDirectory) {
        List<Module> found = new ArrayList<>();
        search("", 0, parts, isFile, isDirectory, found);
        return found.stream().max((a, b) -> a.partsUsed != b.partsUsed
                ? Integer.compare(a.partsUsed, b.partsUsed)
                : Integer.compare(b.file.length(), a.file.length()));
    }

    private static void search(String dir, int from, String[] parts, Predicate<String> isFile,
                               Predicate<String> isDirectory, List<Module> found) {
        StringBuilder segment = new StringBuilder();
        for (int to = from; to < parts.length; to++) {
            if (to > from) {
                segment.append('.');
            }
            segment.append(parts[to]);
            String path = dir.isEmpty() ? segment.toString() : dir + "/" + segment;
            if (isFile.test(path + ".py")) {
                found.add(new Module(path + ".py", to + 1));
            }
            if (to + 1 < parts.length && isDirectory.test(path)) {
                search(path, to + 1, parts, isFile, isDirectory, found);
            }
        }
    }
}
