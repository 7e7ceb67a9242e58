package io.bktec.discovery;

/** A glob pattern that cannot be parsed; the message names the pattern and the fault. */
public final class GlobSyntaxException extends Exception {
    public GlobSyntaxException(String pattern, String fault) {
        super("invalid pattern \"" + pattern + "\": " + fault);
    }
}
