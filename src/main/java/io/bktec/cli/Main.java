package io.bktec.cli;

import io.bktec.run.ExitStatus;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;

/** Entry point: parses the command line and exits with the run's status. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = execute(args, System.getenv(), Path.of("").toAbsolutePath());
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    static int execute(String[] args, Map<String, String> env, Path workingDirectory) {
        CommandLine commandLine = CommandLineSpec.build();
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("bktec: " + e.getMessage());
            System.err.println("Run 'bktec --help' or 'bktec run --help' for usage.");
            return ExitStatus.CONFIG_ERROR;
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return 0;
        }
        Map<String, String> flags = CommandLineSpec.givenFlags(parsed);
        if (parsed.hasSubcommand()) {
            flags.putAll(CommandLineSpec.givenFlags(parsed.subcommand()));
        }
        return new RunCommand(env, workingDirectory, System.out, System.err).execute(flags);
    }
}
