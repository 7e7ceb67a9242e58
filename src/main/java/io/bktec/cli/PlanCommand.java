package io.bktec.cli;

import io.bktec.config.Config;
import io.bktec.job.PlanJob;
import io.bktec.job.PlanOutput;
import io.bktec.job.Version;
import io.bktec.outcome.ExitStatus;
import io.bktec.report.Console;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** `bktec plan` on the command line: the one output asked for, the configuration, the plan, its exit status. */
final class PlanCommand {
    private final CommandContext context;

    PlanCommand(CommandContext context) {
        this.context = context;
    }

    int execute(Map<String, String> flags) {
        List<PlanOutput> outputs = new ArrayList<>();
        if (flags.containsKey("json")) {
            outputs.add(new PlanOutput.Json());
        }
        Optional.ofNullable(flags.get("plan-out")).ifPresent(path -> outputs.add(new PlanOutput.PlanFile(path)));
        Optional.ofNullable(flags.get("pipeline-upload")).ifPresent(t -> outputs.add(new PlanOutput.PipelineUpload(t)));
        if (outputs.size() != 1) {
            context.job.err().println("bktec plan: exactly one of --json, --plan-out or --pipeline-upload is required"
                    + (outputs.size() > 1 ? " (several were given)" : ""));
            return ExitStatus.CONFIG_ERROR;
        }
        List<String> notices = new ArrayList<>();
        Optional<Config> loaded = context.config("plan", flags, true, notices::add);
        if (loaded.isEmpty()) {
            return ExitStatus.CONFIG_ERROR;
        }
        Config config = loaded.get();
        Console console = context.job.console(config, context.job.err());
        console.expandedGroup("Buildkite Test Engine Client: bktec " + Version.current() + " (bktec-java)");
        notices.forEach(console::notice);
        if (console.debugging()) {
            console.debug("config: " + config);
        }
        Integer code = new PlanJob(context.job).plan(config, console, outputs.get(0))
                .onErrorResume(e -> Mono.just(CommandContext.failure(Exceptions.unwrap(e), console, config.debug())))
                .block();
        return code == null ? ExitStatus.CONFIG_ERROR : code;
    }
}
