package io.bktec.report;

import io.bktec.runner.ProgramLocator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Posts the run's annotation with `buildkite-agent annotate`; any failure is a warning, never a failed build. */
public final class Annotator {
    private final Map<String, String> env;
    private final Path workingDirectory;
    private final Console console;

    Annotator(Map<String, String> env, Path workingDirectory, Console console) {
        this.env = env;
        this.workingDirectory = workingDirectory;
        this.console = console;
    }

    /** Annotates the build with this run's outcome, when wanted; off the event loop, never failing the run. */
    /** @param jobRan which attempt of the Buildkite job this was and what it ran, when bktec keeps count */
    public static reactor.core.publisher.Mono<Void> forRun(io.bktec.config.Config config, String runnerName,
                                                    io.bktec.outcome.RunReport report, Optional<String> jobRan,
                                                    Map<String, String> env, Path workingDirectory, Console console) {
        if (!wanted(config.job().annotate(), env)) {
            return reactor.core.publisher.Mono.empty();
        }
        String heading = runnerName + (config.plan().parallelism() > 1
                ? " · node " + config.plan().parallelJob() + " of " + config.plan().parallelism() : "");
        Annotation.Content content = Annotation.of(heading, jobRan, report.summary(), report.decision(),
                Annotation.LIMIT_BYTES);
        return reactor.core.publisher.Mono.<Void>fromRunnable(() -> new Annotator(env, workingDirectory, console)
                        .annotate(content, config.plan().parallelism() > 1))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic());
    }

    /** Whether to annotate: as configured, else under Buildkite. */
    static boolean wanted(Optional<Boolean> configured, Map<String, String> env) {
        return configured.orElse("true".equals(env.get("BUILDKITE")));
    }

    /** The context: one annotation per step, whatever node writes it. */
    String context() {
        String step = env.getOrDefault("BUILDKITE_STEP_KEY", "");
        if (step.isEmpty()) {
            step = env.getOrDefault("BUILDKITE_STEP_ID", "");
        }
        String context = "bktec" + (step.isEmpty() ? "" : "-" + step);
        return context.length() > 100 ? context.substring(0, 100) : context;
    }

    /** Blocking: call it off the event loop. */
    void annotate(Annotation.Content content, boolean parallel) {
        Optional<Path> agent = new ProgramLocator(env.get("PATH"), workingDirectory).locate("buildkite-agent");
        if (agent.isEmpty()) {
            console.warning("not annotating the build: buildkite-agent is not on PATH");
            return;
        }
        List<String> command = new ArrayList<>(List.of(agent.get().toString(), "annotate", "--context", context()));
        if (parallel) {
            // Every node appends its section; only a worse style is set, so a passing node never hides a failing one.
            command.add("--append");
            if (content.style() != Annotation.Style.SUCCESS) {
                command.addAll(List.of("--style", content.style().flag()));
            }
        } else {
            command.addAll(List.of("--style", content.style().flag()));
        }
        try {
            Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(content.markdown().getBytes(StandardCharsets.UTF_8));
            }
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                console.warning("buildkite-agent annotate did not finish in 60 s; the build is not annotated");
            } else if (process.exitValue() != 0) {
                console.warning("buildkite-agent annotate failed (exit status " + process.exitValue() + ")"
                        + (stderr.isEmpty() ? "" : ": " + stderr.replaceAll("\\s+", " ")));
            } else {
                console.debug("annotated the build (context " + context() + ")");
            }
        } catch (IOException e) {
            console.warning("could not run buildkite-agent annotate: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
