package io.bktec.cli;

/** A mistake in the user's setup: printed as one line, exit 16, never with a stack trace. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message, null, false, false);
    }
}
