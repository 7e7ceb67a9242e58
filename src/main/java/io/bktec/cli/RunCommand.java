package io.bktec.cli;

import io.bktec.config.Config;
import io.bktec.job.RunJob;
import io.bktec.job.Version;
import io.bktec.outcome.ExitStatus;
import io.bktec.report.Console;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** `bktec run` on the command line: the configuration, the banner, the run, its exit status. */
final class RunCommand {
    private final CommandContext context;

    RunCommand(CommandContext context) {
        this.context = context;
    }

    int execute(Map<String, String> flags) {
        List<String> notices = new ArrayList<>();
        Optional<Config> loaded = context.config("run", flags, false, notices::add);
        if (loaded.isEmpty()) {
            return ExitStatus.CONFIG_ERROR;
        }
        Config config = loaded.get();
        Console console = context.job.console(config, context.job.out());
        console.expandedGroup("Buildkite Test Engine Client: bktec " + Version.current() + " (bktec-java)");
        notices.forEach(console::notice);
        if (console.debugging()) {
            console.debug("config: " + config); // a record's toString costs ~10 ms the first time
        }
        Integer code = new RunJob(context.job).run(config, console)
                .onErrorResume(e -> Mono.just(CommandContext.failure(Exceptions.unwrap(e), console, config.debug())))
                .block();
        return code == null ? ExitStatus.CONFIG_ERROR : code;
    }
}
