package io.bktec.discovery;

import java.util.regex.Pattern;

/**
 * Python's {@code fnmatch} patterns, which pytest matches {@code norecursedirs}, {@code python_files} and
 * {@code --ignore-glob} with: {@code *} matches anything (path separators and leading dots included), {@code ?} one
 * character, {@code [seq]} and {@code [!seq]} a class; a {@code [} without its {@code ]} is literal; everything else
 * is literal, case-sensitive as on POSIX.
 */
final class FnMatch {
    private FnMatch() {
    }

    static Pattern compile(String pattern) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i++);
            if (c == '*') {
                if (regex.length() < 2 || !regex.substring(regex.length() - 2).equals(".*")) {
                    regex.append(".*");
                }
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && pattern.charAt(j) == '!') {
                    j++;
                }
                if (j < n && pattern.charAt(j) == ']') {
                    j++;
                }
                while (j < n && pattern.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    regex.append("\\[");
                } else {
                    regex.append(characterClass(pattern.substring(i, j)));
                    i = j + 1;
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static String characterClass(String members) {
        StringBuilder cls = new StringBuilder("[");
        int start = 0;
        if (members.startsWith("!")) {
            cls.append('^');
            start = 1;
        }
        for (int k = start; k < members.length(); k++) {
            char m = members.charAt(k);
            boolean range = m == '-' && k > start && k < members.length() - 1;
            cls.append(range || Character.isLetterOrDigit(m) ? String.valueOf(m) : "\\" + m);
        }
        return cls.append(']').toString();
    }
}
