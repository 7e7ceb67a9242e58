package io.bktec.plan;

import java.nio.file.Path;

/**
 * The directory between where bktec runs and where results report paths from (bktec §2.4): plan paths sent to
 * the Test Engine carry it, paths bktec runs do not.
 */
public final class LocationPrefix {
    private final String prefix;

    public LocationPrefix(String prefix) {
        this.prefix = prefix == null ? "" : prefix;
    }

    public String value() {
        return prefix;
    }

    public boolean isEmpty() {
        return prefix.isEmpty();
    }

    public String apply(String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        if (prefix.equals("./")) {
            return path.startsWith("./") ? path : "./" + path;
        }
        return clean(prefix + "/" + path);
    }

    /** The path relative to the prefix; a path outside it gains "../" segments, as Go's filepath.Rel gives. */
    public String strip(String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        String base = clean(prefix);
        String target = clean(path);
        if (base.equals(".")) {
            return target;
        }
        if (target.startsWith(base + "/")) {
            return target.substring(base.length() + 1);
        }
        try {
            return Path.of(base).relativize(Path.of(target)).toString();
        } catch (IllegalArgumentException e) {
            return target;
        }
    }

    /** Lexical clean as Go's path.Clean: no "." segments, no doubled slashes, ".." folded where possible. */
    public static String clean(String path) {
        boolean absolute = path.startsWith("/");
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else if (!(part.equals("..") && absolute)) {
                parts.addLast(part);
            }
        }
        String joined = String.join("/", parts);
        if (absolute) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }
}
