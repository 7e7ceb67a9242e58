package io.bktec.api;

/**
 * A Test Engine API call that did not give a usable answer, classified as bktec v3 does (reference §3.4): some
 * kinds fall back to the local plan with a warning, the others stop bktec with exit 16.
 */
public final class ApiException extends RuntimeException {
    public enum Kind {
        /** The retry budget ran out (network errors, timeouts, 5xx, 429, 409). */
        TIMEOUT("Timeout", true),
        /** 403 whose message starts with "Billing Error". */
        BILLING("Billing Error", true),
        /** 422. */
        UNAVAILABLE("Unavailable", true),
        /** 404, e.g. an unknown suite. */
        NOT_FOUND("Not Found", true),
        /** 200 with no tasks. */
        ERROR_PLAN("Error Plan", true),
        /** A body that is not the JSON we expect (an HTML error page, the wrong shape): bktec exits; we fall back. */
        UNREADABLE("Unexpected response", true),
        /** 401. */
        AUTH("Authentication Failed", false),
        /** 403 other than billing. */
        FORBIDDEN("Access Denied", false),
        /** 400. */
        BAD_REQUEST("Invalid Request", false),
        /** Any other status. */
        UNEXPECTED("Unexpected error", false);

        private final String label;
        private final boolean fallsBack;

        Kind(String label, boolean fallsBack) {
            this.label = label;
            this.fallsBack = fallsBack;
        }

        public String label() {
            return label;
        }

        public boolean fallsBack() {
            return fallsBack;
        }
    }

    private final Kind kind;
    private final int status;

    public ApiException(Kind kind, int status, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    /** Classifies a non-success status that will not be retried. */
    public static ApiException forStatus(int status, String message) {
        Kind kind = switch (status) {
            case 400 -> Kind.BAD_REQUEST;
            case 401 -> Kind.AUTH;
            case 403 -> message.startsWith("Billing Error") ? Kind.BILLING : Kind.FORBIDDEN;
            case 404 -> Kind.NOT_FOUND;
            case 422 -> Kind.UNAVAILABLE;
            default -> Kind.UNEXPECTED;
        };
        return new ApiException(kind, status, message);
    }
}
