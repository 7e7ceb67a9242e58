package io.bktec.report;

import io.bktec.config.Config;
import io.bktec.outcome.RunReport;
import io.bktec.runner.ProgramLocator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * `--promise-failure`, as bktec v2.9+: when tests still fail after the last retry, `buildkite-agent job
 * promise-failure` tells Buildkite at once that this job will fail, so the build can fail fast. Muted failures do not
 * count. Best effort: 5 s at most, and what it says never changes the exit status.
 */
public final class FailurePromise {
    private static final long TIMEOUT_SECONDS = 5;

    private FailurePromise() {
    }

    public static Mono<Void> forRun(Config config, RunReport report, Map<String, String> env, Path workingDirectory,
                             Console console) {
        int failed = report.summary().failed();
        if (!config.job().promiseFailure() || failed == 0) {
            return Mono.empty();
        }
        return Mono.<Void>fromRunnable(() -> promise(config.job().agentCommand(), failed, env, workingDirectory, console))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** The agent's arguments, as bktec sends them. */
    static List<String> arguments(int failed) {
        return List.of("job", "promise-failure", "1", "--reason", "test_failure (" + failed + " failed after retries)");
    }

    private static void promise(String agentCommand, int failed, Map<String, String> env, Path workingDirectory,
                                Console console) {
        Optional<Path> agent = new ProgramLocator(env.get("PATH"), workingDirectory).locate(agentCommand);
        if (agent.isEmpty()) {
            console.warning("not promising the job's failure: " + agentCommand + " is not on PATH");
            return;
        }
        List<String> command = new java.util.ArrayList<>(List.of(agent.get().toString()));
        command.addAll(arguments(failed));
        try {
            Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .inheritIO().start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                console.warning(agentCommand + " job promise-failure did not finish in " + TIMEOUT_SECONDS + " s");
            } else if (process.exitValue() != 0) {
                console.warning(agentCommand + " job promise-failure failed (exit status " + process.exitValue() + ")");
            } else {
                console.debug("promised the job's failure: " + failed + " failed after retries");
            }
        } catch (IOException e) {
            console.warning("could not run " + agentCommand + " job promise-failure: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
