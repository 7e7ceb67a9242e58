package io.bktec.discovery;

import java.util.regex.Pattern;

/**
 * A glob with the semantics of drjosh.dev/zzglob as bktec uses it: {@code *} and {@code ?} stay within one path
 * segment (dot files included), {@code **} crosses segments and {@code **}{@code /} also matches zero directories,
 * {@code {a,b}} alternates (alternatives may hold slashes), {@code [abc]}/{@code [^abc]} are classes, a backslash
 * escapes, and a leading {@code ~} is the home directory. The pattern's literal directory prefix is the walk root.
 */
public final class GlobPattern {
    private final String text;
    private final String root;
    private final Pattern remainder;
    /** For the common "**&#47;name-pattern" form: the pattern for the file name alone, which is much cheaper to match. */
    private final Pattern nameOnly;

    private GlobPattern(String text, String root, Pattern remainder, Pattern nameOnly) {
        this.text = text;
        this.root = root;
        this.remainder = remainder;
        this.nameOnly = nameOnly;
    }

    /** A pattern rooted at its literal prefix, for discovery. */
    public static GlobPattern compile(String pattern, String home) throws GlobSyntaxException {
        String expanded = expandHome(pattern, home);
        String cleaned = stripDotSlash(expanded);
        int firstWild = firstWildcard(cleaned);
        int lastSlash = cleaned.lastIndexOf('/', firstWild < 0 ? cleaned.length() - 1 : firstWild);
        String root;
        String rest;
        if (lastSlash < 0) {
            root = ".";
            rest = cleaned;
        } else {
            root = lastSlash == 0 ? "/" : unescape(cleaned.substring(0, lastSlash));
            rest = cleaned.substring(lastSlash + 1);
        }
        Pattern nameOnly = null;
        if (rest.startsWith("**/") && rest.indexOf('/', 3) < 0 && !rest.substring(3).contains("**")) {
            nameOnly = Pattern.compile(toRegex(rest.substring(3), pattern), Pattern.DOTALL);
        }
        return new GlobPattern(pattern, root, Pattern.compile(toRegex(rest, pattern), Pattern.DOTALL), nameOnly);
    }

    /** A pattern matched against whole walked paths, for exclusion. A leading ./ and trailing / are ignored. */
    public static Pattern compileWhole(String pattern, String home) throws GlobSyntaxException {
        String cleaned = stripDotSlash(expandHome(pattern, home));
        while (cleaned.length() > 1 && cleaned.endsWith("/")) {
            cleaned = cleaned.substring(0, cleaned.length() - 1);
        }
        return Pattern.compile(toRegex(cleaned, pattern), Pattern.DOTALL);
    }

    public String text() {
        return text;
    }

    /** The directory the walk starts from, relative to the working directory unless absolute; "." for none. */
    public String root() {
        return root;
    }

    /**
     * Matching of paths relative to {@link #root()} for one walk, reusing its regex matcher (a new one per path costs
     * more than the match).
     */
    Matching matching() {
        return new Matching();
    }

    /** Not thread-safe: one per walk. */
    final class Matching {
        private final java.util.regex.Matcher matcher = (nameOnly != null ? nameOnly : remainder).matcher("");

        /** Whether {@code parent/name} (parent relative to the root, "" for the root itself) matches. */
        boolean matches(String parent, String name) {
            if (nameOnly != null) {
                return matcher.reset(name).matches();
            }
            return matcher.reset(parent.isEmpty() ? name : parent + "/" + name).matches();
        }
    }

    private static String expandHome(String pattern, String home) {
        if (home != null && (pattern.equals("~") || pattern.startsWith("~/"))) {
            return home + pattern.substring(1);
        }
        return pattern;
    }

    private static String stripDotSlash(String pattern) {
        String p = pattern;
        while (p.startsWith("./")) {
            p = p.substring(2);
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
        }
        return p;
    }

    private static int firstWildcard(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
            if (c == '\\') {
                i++;
            }
        }
        return -1;
    }

    private static String unescape(String literal) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '\\' && i + 1 < literal.length()) {
                c = literal.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    static String toRegex(String glob, String original) throws GlobSyntaxException {
        StringBuilder out = new StringBuilder();
        int end = translate(glob, 0, out, false, original);
        if (end != glob.length()) {
            throw new GlobSyntaxException(original, "unexpected '" + glob.charAt(end) + "' at offset " + end);
        }
        return out.toString();
    }

    /** Translates from {@code i} until the end or, inside braces, an unnested ',' or '}'; returns where it stopped. */
    private static int translate(String g, int i, StringBuilder out, boolean inBraces, String original)
            throws GlobSyntaxException {
        while (i < g.length()) {
            char c = g.charAt(i);
            if (inBraces && (c == ',' || c == '}')) {
                return i;
            }
            switch (c) {
                case '*' -> {
                    if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
                        if (slashAfter) {
                            out.append("(?:.*/)?");
                            i += 3;
                        } else {
                            out.append(".*");
                            i += 2;
                        }
                    } else {
                        out.append("[^/]*");
                        i++;
                    }
                }
                case '?' -> {
                    out.append("[^/]");
                    i++;
                }
                case '[' -> i = characterClass(g, i, out, original);
                case '{' -> {
                    out.append("(?:");
                    i++;
                    while (true) {
                        i = translate(g, i, out, true, original);
                        if (i >= g.length()) {
                            throw new GlobSyntaxException(original, "unclosed '{'");
                        }
                        if (g.charAt(i) == '}') {
                            out.append(')');
                            i++;
                            break;
                        }
                        out.append('|');
                        i++;
                    }
                }
                case '\\' -> {
                    if (i + 1 >= g.length()) {
                        throw new GlobSyntaxException(original, "trailing backslash");
                    }
                    out.append(Pattern.quote(String.valueOf(g.charAt(i + 1))));
                    i += 2;
                }
                default -> {
                    int start = i;
                    while (i < g.length() && "*?[{\\".indexOf(g.charAt(i)) < 0
                            && !(inBraces && (g.charAt(i) == ',' || g.charAt(i) == '}'))) {
                        i++;
                    }
                    out.append(Pattern.quote(g.substring(start, i)));
                }
            }
        }
        return i;
    }

    private static int characterClass(String g, int i, StringBuilder out, String original) throws GlobSyntaxException {
        int j = i + 1;
        boolean negate = j < g.length() && (g.charAt(j) == '^' || g.charAt(j) == '!');
        if (negate) {
            j++;
        }
        StringBuilder cls = new StringBuilder(negate ? "[^/" : "[");
        boolean first = true;
        while (j < g.length() && (g.charAt(j) != ']' || first)) {
            char c = g.charAt(j);
            if (c == '\\' && j + 1 < g.length()) {
                c = g.charAt(++j);
            }
            if (c == '-' && !first && j + 1 < g.length() && g.charAt(j + 1) != ']') {
                cls.append('-');
            } else {
                cls.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
            }
            first = false;
            j++;
        }
        if (j >= g.length()) {
            throw new GlobSyntaxException(original, "unclosed '['");
        }
        cls.append(']');
        // A class never matches the separator.
        out.append("(?:(?!/)").append(cls).append(')');
        return j + 1;
    }
}
