package io.bktec.runner;

/** A test or retry command template that cannot become an argv; the message names the template and the fault. */
public final class CommandTemplateException extends Exception {
    public CommandTemplateException(String message) {
        super(message);
    }
}
