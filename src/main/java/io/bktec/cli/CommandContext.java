package io.bktec.cli;

import io.bktec.api.ApiException;
import io.bktec.config.Config;
import io.bktec.config.ConfigException;
import io.bktec.discovery.DiscoveryException;
import io.bktec.job.JobContext;
import io.bktec.job.UserError;
import io.bktec.outcome.ExitStatus;
import io.bktec.plan.LocalPlanException;
import io.bktec.report.Console;
import io.bktec.runner.CommandTemplateException;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** What the commands share on the command line: flags into a configuration, and a failure into an exit status. */
final class CommandContext {
    final JobContext job;

    CommandContext(JobContext job) {
        this.job = job;
    }

    /** Loads and validates; on problems prints bktec's "invalid configuration" block and returns empty. */
    Optional<Config> config(String command, Map<String, String> flags, boolean forPlan, Consumer<String> notices) {
        try {
            return Optional.of(job.config(flags, forPlan, notices));
        } catch (ConfigException e) {
            job.err().println("bktec " + command + ": invalid configuration:");
            e.problems().forEach(job.err()::println);
            return Optional.empty();
        }
    }

    /** One clear line for user mistakes; a short message (stack trace only with --debug) for internal faults. */
    static int failure(Throwable error, Console console, boolean debug) {
        if (error instanceof UserError || error instanceof DiscoveryException || error instanceof LocalPlanException) {
            console.error(error.getMessage());
            return ExitStatus.CONFIG_ERROR;
        }
        if (error instanceof ApiException api) {
            console.error("❌ " + api.kind().label() + ": " + api.getMessage());
            return ExitStatus.CONFIG_ERROR;
        }
        if (error instanceof CommandTemplateException) {
            console.error("invalid test command: " + error.getMessage());
            return ExitStatus.CONFIG_ERROR;
        }
        console.error("internal error: " + error + (debug ? "" : " (set BUILDKITE_TEST_ENGINE_DEBUG_ENABLED=true for details)"));
        if (debug) {
            error.printStackTrace(console.err());
        }
        return ExitStatus.CONFIG_ERROR;
    }
}
