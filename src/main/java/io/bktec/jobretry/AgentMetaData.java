package io.bktec.jobretry;

import io.bktec.process.HelperCommand;
import io.bktec.runner.ProgramLocator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The build's meta-data through {@code buildkite-agent meta-data}: {@code exists} (0 there, 100 not), {@code get}
 * and {@code set} (the value on stdin, as it may be longer than an argument can be). Blocking: call it off the event
 * loop. The agent retries its own API calls, so it is given a minute.
 */
public final class AgentMetaData {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** `meta-data exists`: the key is not set. */
    static final int ABSENT = 100;
    private final String agentCommand;
    private final Map<String, String> env;
    private final Path workingDirectory;

    public AgentMetaData(String agentCommand, Map<String, String> env, Path workingDirectory) {
        this.agentCommand = agentCommand;
        this.env = env;
        this.workingDirectory = workingDirectory;
    }

    public JobRetryPlan.Lookup read(String key) {
        Optional<Path> agent = new ProgramLocator(env.get("PATH"), workingDirectory).locate(agentCommand);
        if (agent.isEmpty()) {
            return new JobRetryPlan.Unanswered(agentCommand + " is not on PATH");
        }
        try {
            Optional<HelperCommand.Finished> exists = call(agent.get(), List.of("exists", key), null);
            if (exists.isPresent() && exists.get().exitStatus() == ABSENT) {
                return new JobRetryPlan.Absent();
            }
            Optional<String> fault = fault("exists", exists);
            if (fault.isPresent()) {
                return new JobRetryPlan.Unanswered(fault.get());
            }
            Optional<HelperCommand.Finished> got = call(agent.get(), List.of("get", key), null);
            return fault("get", got).<JobRetryPlan.Lookup>map(JobRetryPlan.Unanswered::new)
                    .orElseGet(() -> new JobRetryPlan.Found(got.get().stdout()));
        } catch (IOException e) {
            return new JobRetryPlan.Unanswered("could not run " + agentCommand + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JobRetryPlan.Unanswered("interrupted");
        }
    }

    /** @return why the value was not stored, or empty when it was */
    public Optional<String> write(String key, String value) {
        Optional<Path> agent = new ProgramLocator(env.get("PATH"), workingDirectory).locate(agentCommand);
        if (agent.isEmpty()) {
            return Optional.of(agentCommand + " is not on PATH");
        }
        try {
            return fault("set", call(agent.get(), List.of("set", key), value));
        } catch (IOException e) {
            return Optional.of("could not run " + agentCommand + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** @param input the value on its stdin, or null for none */
    private Optional<HelperCommand.Finished> call(Path agent, List<String> subcommand, String input)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(agent.toString(), "meta-data"));
        command.addAll(subcommand);
        return HelperCommand.run(command, workingDirectory, env, TIMEOUT, input);
    }

    /** What went wrong with a call, in one line: it timed out, or exited non-zero (with the agent's last words). */
    private Optional<String> fault(String subcommand, Optional<HelperCommand.Finished> finished) {
        if (finished.isEmpty()) {
            return Optional.of(agentCommand + " meta-data " + subcommand + " did not finish in " + TIMEOUT.toSeconds()
                    + " s");
        }
        if (finished.get().exitStatus() == 0) {
            return Optional.empty();
        }
        String said = lastLine(finished.get().stderr());
        return Optional.of(agentCommand + " meta-data " + subcommand + " failed (exit status "
                + finished.get().exitStatus() + ")" + (said.isEmpty() ? "" : ": " + said));
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        return last.length() > 200 ? last.substring(0, 200) + "…" : last;
    }
}
