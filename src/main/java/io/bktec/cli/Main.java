package io.bktec.cli;

import io.bktec.job.DurationsJob;
import io.bktec.job.JobContext;
import io.bktec.job.RunJob;
import io.bktec.outcome.ExitStatus;
import io.bktec.process.FastExit;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;

/** Entry point: parses the command line and exits with the run's status. */
public final class Main {
    /** When bktec started, for debug timings. */
    static final long START_NANOS = System.nanoTime();

    private Main() {
    }

    public static void main(String[] args) {
        // NuProcess notices exited children by polling every 250 ms by default; 100 ms is its minimum.
        System.setProperty("com.zaxxer.nuprocess.deadPoolPollMs", "100");
        // JNA (under NuProcess) otherwise runs `ldconfig -p` at start-up to learn library paths it never needs here:
        // libc comes from the process itself and JNA's own library from the jar.
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
        if (runsTests(args)) {
            RunJob.warmUp();
        }
        quietLibraryLogging(System.getenv());
        int code = execute(args, System.getenv(), Path.of("").toAbsolutePath());
        System.out.flush();
        System.err.flush();
        // Everything bktec started has been reaped or killed and its files cleaned up by now; exiting at once skips
        // library shutdown hooks that only wait for idle I/O threads.
        FastExit.exit(code);
    }

    /**
     * Libraries (reactor-netty, NuProcess) log through java.util.logging; their warnings and stack traces are not
     * for users, so they are silenced unless debugging. bktec reports what matters itself.
     */
    private static void quietLibraryLogging(Map<String, String> env) {
        reactor.util.Loggers.useJdkLoggers();
        String debug = env.getOrDefault("BUILDKITE_TEST_ENGINE_DEBUG_ENABLED", "");
        if (!io.bktec.config.GoValues.parseBool(debug.strip()).orElse(false)) {
            java.util.logging.LogManager.getLogManager().reset();
        }
    }

    /** `bktec run` (or no command), not asking for help or the version: test processes will be started. */
    static boolean runsTests(String[] args) {
        return (args.length == 0 || args[0].equals("run")) && !asksForHelp(args);
    }

    private static boolean asksForHelp(String[] args) {
        return java.util.Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h")
                || a.equals("--version") || a.equals("-V"));
    }

    /** `bktec run` or `bktec plan` (or no command), not asking for help or the version. */
    static boolean runsOrPlans(String[] args) {
        return (args.length == 0 || args[0].equals("run") || args[0].equals("plan")) && !asksForHelp(args);
    }

    static int execute(String[] args, Map<String, String> env, Path workingDirectory) {
        try (JobContext job = JobContext.open(env, workingDirectory, System.out, System.err, START_NANOS,
                runsOrPlans(args))) {
            return execute(args, new CommandContext(job));
        }
    }

    private static int execute(String[] args, CommandContext context) {
        if (args.length == 0 || (args.length == 1 && args[0].equals("run"))) {
            // The usual CI call: configuration comes from the environment, so skip building the command-line model
            // (picocli's classes are old bytecode that the class-data archive cannot hold).
            return new RunCommand(context).execute(new java.util.HashMap<>());
        }
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
            String command = parsed.subcommand().commandSpec().name();
            if (command.equals("plan")) {
                return new PlanCommand(context).execute(flags);
            }
            if (command.equals("durations")) {
                return new DurationsJob(context.job).merge(flags.get("output"),
                        CommandLineSpec.positionals(parsed.subcommand()));
            }
        }
        return new RunCommand(context).execute(flags);
    }
}
