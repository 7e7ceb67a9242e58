package io.bktec.runner;

/** A runner's result format, test command and retry command, as configured. */
public record RunnerCommands(ResultMode mode, CommandTemplate test, CommandTemplate retry) {
}
