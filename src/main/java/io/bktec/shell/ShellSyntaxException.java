package io.bktec.shell;

/** Text that cannot be split into words: an unterminated quote or escape; the message says where. */
public final class ShellSyntaxException extends Exception {
    public ShellSyntaxException(String message) {
        super(message);
    }
}
