package io.bktec.results;

/** A result file exists but cannot be read as the expected format. */
public final class ResultFormatException extends Exception {
    public ResultFormatException(String message) {
        super(message);
    }

    public ResultFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
