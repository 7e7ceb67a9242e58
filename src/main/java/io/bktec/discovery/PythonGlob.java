package io.bktec.discovery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Python's {@code sorted(glob.iglob(pattern, recursive=True))}, which pytest expands each {@code testpaths} entry
 * with: a pattern without wildcards names itself if it exists; otherwise each path segment is matched with
 * {@link FnMatch} against the directory's entries, a segment not starting with a dot never matching hidden names,
 * and {@code **} standing for any number of directories (none included). Relative to a base directory.
 */
final class PythonGlob {
    private PythonGlob() {
    }

    static List<String> expand(Path base, String pattern) {
        if (!magic(pattern)) {
            return Files.exists(base.resolve(pattern)) ? List.of(pattern) : List.of();
        }
        boolean absolute = pattern.startsWith("/");
        String[] segments = (absolute ? pattern.substring(1) : pattern).split("/+");
        List<String> paths = new ArrayList<>(List.of(absolute ? "/" : ""));
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            List<String> next = new ArrayList<>();
            for (String path : paths) {
                next.addAll(step(base, path, segments[i], last));
            }
            paths = next;
        }
        return paths.stream().distinct().sorted().toList();
    }

    private static List<String> step(Path base, String parent, String segment, boolean last) {
        if (segment.equals("**")) {
            List<String> found = new ArrayList<>();
            if (!parent.isEmpty()) {
                found.add(parent);
            }
            descend(base, parent, found, last);
            if (parent.isEmpty() && !last) {
                found.add(0, "");
            }
            return found;
        }
        if (!magic(segment)) {
            String path = join(parent, segment);
            Path resolved = base.resolve(path.isEmpty() ? "." : path);
            return (last ? Files.exists(resolved) : Files.isDirectory(resolved)) ? List.of(path) : List.of();
        }
        Pattern matcher = FnMatch.compile(segment);
        List<String> found = new ArrayList<>();
        for (String name : names(base, parent)) {
            if ((segment.startsWith(".") || !name.startsWith(".")) && matcher.matcher(name).matches()) {
                String path = join(parent, name);
                if (last || Files.isDirectory(base.resolve(path))) {
                    found.add(path);
                }
            }
        }
        return found;
    }

    /** Every non-hidden directory below {@code parent} (and, for a final {@code **}, every file too). */
    private static void descend(Path base, String parent, List<String> found, boolean withFiles) {
        for (String name : names(base, parent)) {
            if (name.startsWith(".")) {
                continue;
            }
            String path = join(parent, name);
            boolean directory = Files.isDirectory(base.resolve(path));
            if (directory || withFiles) {
                found.add(path);
            }
            if (directory) {
                descend(base, path, found, withFiles);
            }
        }
    }

    private static List<String> names(Path base, String parent) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base.resolve(parent.isEmpty() ? "." : parent))) {
            entries.forEach(e -> names.add(e.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    private static String join(String parent, String name) {
        if (parent.isEmpty()) {
            return name;
        }
        return parent.endsWith("/") ? parent + name : parent + "/" + name;
    }

    private static boolean magic(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }
}
