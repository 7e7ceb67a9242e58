package io.bktec.job;

import io.bktec.api.JsonIndent;
import io.bktec.api.PlanJson;
import io.bktec.config.Config;
import io.bktec.outcome.ExitStatus;
import io.bktec.plan.FileWeights;
import io.bktec.plan.LocalPlan;
import io.bktec.plan.TestPlan;
import io.bktec.report.Console;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What `bktec plan` does: find the tests and the runner → the plan (the Test Engine's, or computed locally, with
 * each node's predicted time) → the one output asked for. Only that output goes to stdout, so
 * `bktec plan --json | buildkite-agent env set --input-format=json -` works.
 */
public final class PlanJob {
    private final JobContext context;

    public PlanJob(JobContext context) {
        this.context = context;
    }

    /** The exit status; user mistakes and faults arrive as errors, for the command line to report. */
    public Mono<Integer> plan(Config config, Console console, PlanOutput output) {
        String identifier = identifier(config);
        int fallbackParallelism = config.plan().maxParallelism() > 0 ? config.plan().maxParallelism() : config.plan().parallelism();
        FileWeights weights = Durations.load(config, context.workingDirectory, console);
        return Mono.zip(
                        Mono.fromCallable(() -> context.testFiles(config, console, true)).subscribeOn(Schedulers.boundedElastic()),
                        Mono.fromCallable(() -> context.runner(config, console)).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(filesAndRunner -> config.localMode()
                        ? LocalPlanning.forPlan(context, config, weights, console).localPlan(filesAndRunner.getT1())
                        .map(plan -> new Shown(plan, Optional.<String>empty()))
                        : ApiWiring.planSource(config, filesAndRunner.getT2(), console, context.env, context.workingDirectory)
                        .createForPlanCommand(filesAndRunner.getT1(), fallbackParallelism)
                        .map(created -> new Shown(new LocalPlan(created.plan(), List.of()), created.received())))
                .publishOn(Schedulers.boundedElastic())
                .map(plan -> output(plan, weights.known(), identifier, output, config, console));
    }

    private String identifier(Config config) {
        if (config.api().isPresent()) {
            return config.api().get().planIdentifier();
        }
        String explicit = context.env.getOrDefault("BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER", "");
        if (!explicit.isEmpty()) {
            return explicit;
        }
        String build = context.env.getOrDefault("BUILDKITE_BUILD_ID", "");
        String step = context.env.getOrDefault("BUILDKITE_STEP_ID", "");
        return build.isEmpty() && step.isEmpty() ? "local" : build + "/" + step;
    }

    /**
     * The plan to show: the local plan with each node's load, or the Test Engine's (no loads) with its answer as
     * received, which --plan-out writes as it came, re-indented, as bktec does.
     */
    private record Shown(LocalPlan computed, Optional<String> received) {
    }

    /** @param predicted whether the plan's node loads are predictions from durations (local mode with durations) */
    private int output(Shown result, boolean predicted, String identifier, PlanOutput output, Config config,
                       Console console) {
        LocalPlan computed = result.computed();
        TestPlan plan = computed.plan();
        String id = plan.identifier().isEmpty() ? identifier : plan.identifier();
        int parallelism = plan.local() || plan.parallelism() <= 0 ? plan.nodeCount() : plan.parallelism();
        TestPlan shown = new TestPlan(id, parallelism, plan.tasks(), plan.mutedTests(), plan.skippedTests(), plan.local());
        long split = computed.splitFiles();
        int single = computed.nodes().stream().mapToInt(LocalPlan.NodeLoad::tests).sum();
        String items = single == 0 ? plan.testCount() + " tests" : (plan.testCount() - single) + " whole files and "
                + single + " single tests";
        console.notice("plan " + id + ": " + items + " across " + parallelism + " node"
                + (parallelism == 1 ? "" : "s") + (plan.local() ? " (computed locally)" : "")
                + (split > 0 ? "; " + split + " slow file" + (split == 1 ? "" : "s") + " split into their tests" : ""));
        for (int node = 0; node < plan.nodeCount(); node++) {
            console.notice("node " + node + ": " + nodeSummary(plan, computed, node, predicted));
        }
        if (parallelism == 0) {
            console.warning("the plan has parallelism 0: no node would run anything");
        }
        if (output instanceof PlanOutput.Json) {
            context.out.println("{\"BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER\":" + quote(id)
                    + ",\"BUILDKITE_TEST_ENGINE_PARALLELISM\":" + quote(Integer.toString(parallelism)) + "}");
            context.out.flush();
            return 0;
        }
        if (output instanceof PlanOutput.PlanFile file) {
            String text = result.received().map(JsonIndent::indent).orElseGet(() -> PlanJson.write(shown)) + "\n";
            if (file.path().equals("-")) {
                context.out.print(text);
                context.out.flush();
                return 0;
            }
            try {
                Files.writeString(context.workingDirectory.resolve(file.path()), text, StandardCharsets.UTF_8);
                console.notice("wrote the plan to " + file.path());
                return 0;
            } catch (IOException e) {
                throw new UserError("could not write the plan to " + file.path() + ": " + e.getMessage());
            }
        }
        return pipelineUpload(((PlanOutput.PipelineUpload) output).template(), id, parallelism, config, console);
    }

    private static String nodeSummary(TestPlan plan, LocalPlan computed, int node, boolean predicted) {
        if (node >= computed.nodes().size()) {
            return plan.taskFor(node).tests().size() + " tests";
        }
        LocalPlan.NodeLoad load = computed.nodes().get(node);
        String files = load.files() + " file" + (load.files() == 1 ? "" : "s");
        String tests = load.tests() == 0 ? "" : " and " + load.tests() + " test" + (load.tests() == 1 ? "" : "s")
                + " of " + load.splitFiles() + " split file" + (load.splitFiles() == 1 ? "" : "s");
        return files + tests + (predicted ? String.format(Locale.ROOT, ", predicted %.1f s", load.predictedSeconds()) : "");
    }

    private int pipelineUpload(String template, String id, int parallelism, Config config, Console console) {
        if (parallelism == 0) {
            console.warning("not uploading the pipeline: parallelism is 0");
            return 0;
        }
        String agent = config.job().agentCommand();
        console.notice("uploading " + template + " with BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER=" + id
                + " BUILDKITE_TEST_ENGINE_PARALLELISM=" + parallelism);
        ProcessBuilder builder = new ProcessBuilder(agent, "pipeline", "upload", template)
                .directory(context.workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .inheritIO();
        builder.environment().put("BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER", id);
        builder.environment().put("BUILDKITE_TEST_ENGINE_PARALLELISM", Integer.toString(parallelism));
        try {
            return builder.start().waitFor();
        } catch (IOException e) {
            throw new UserError("could not run " + agent + " pipeline upload: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.CONFIG_ERROR;
        }
    }

    private static String quote(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
