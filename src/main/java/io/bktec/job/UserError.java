package io.bktec.job;

/** A mistake in the user's setup: printed as one line, exit 16, never with a stack trace. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message, null, false, false);
    }
}
