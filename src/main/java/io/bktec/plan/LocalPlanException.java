package io.bktec.plan;

/** The local plan cannot be made as configured (the tests a tag filter selects could not be listed, say). */
public final class LocalPlanException extends RuntimeException {
    public LocalPlanException(String message) {
        super(message);
    }
}
