package io.bktec.api;

/**
 * Re-indents JSON text as Go's {@code json.Indent} with two spaces does (what bktec's {@code plan --plan-out} writes):
 * only whitespace between tokens changes; strings, numbers and key order stay byte for byte, and an empty object or
 * array stays {@code {}} or {@code []}. The text is assumed to be valid JSON (the plan parser has read it).
 */
public final class JsonIndent {
    private static final String INDENT = "  ";

    private JsonIndent() {
    }

    public static String indent(String json) {
        StringBuilder out = new StringBuilder(json.length() + json.length() / 2);
        int depth = 0;
        boolean justOpened = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (justOpened && c != '}' && c != ']') {
                newline(out, depth);
            }
            switch (c) {
                case '"' -> i = copyString(json, i, out);
                case '{', '[' -> {
                    out.append(c);
                    depth++;
                    justOpened = true;
                    continue;
                }
                case '}', ']' -> {
                    depth--;
                    if (!justOpened) {
                        newline(out, depth);
                    }
                    out.append(c);
                }
                case ',' -> {
                    out.append(',');
                    newline(out, depth);
                }
                case ':' -> out.append(": ");
                default -> out.append(c);
            }
            justOpened = false;
        }
        return out.toString();
    }

    /** Copies the string starting at {@code start} (its opening quote), escapes untouched; returns its last index. */
    private static int copyString(String json, int start, StringBuilder out) {
        int i = start;
        out.append('"');
        while (++i < json.length()) {
            char c = json.charAt(i);
            out.append(c);
            if (c == '\\' && i + 1 < json.length()) {
                out.append(json.charAt(++i));
            } else if (c == '"') {
                return i;
            }
        }
        return i;
    }

    private static void newline(StringBuilder out, int depth) {
        out.append('\n');
        out.append(INDENT.repeat(Math.max(0, depth)));
    }
}
