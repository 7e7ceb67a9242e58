package io.bktec.plan;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, which is the order of their UTF-8 bytes: what Go's string comparison
 * gives, so every node sorts paths exactly as bktec does. (String.compareTo orders UTF-16 units and differs for
 * characters outside the Basic Multilingual Plane.)
 */
public final class PathOrder {
    private PathOrder() {
    }

    public static final Comparator<String> BYTES = PathOrder::compare;

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
