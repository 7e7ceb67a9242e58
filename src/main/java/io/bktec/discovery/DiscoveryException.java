package io.bktec.discovery;

/** Discovery could not produce a list of test files; the message is meant for the user. */
public final class DiscoveryException extends Exception {
    public DiscoveryException(String message) {
        super(message);
    }
}
