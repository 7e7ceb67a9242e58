package io.bktec.job;

import io.bktec.config.Config;
import io.bktec.config.TagFilter;
import io.bktec.plan.FileWeights;
import io.bktec.plan.LocalPlanSource;
import io.bktec.report.Console;
import io.bktec.runner.ProgramLocator;
import io.bktec.stream.StreamCollection;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The local plan source as `run` and `plan` configure it: durations, split by example, target time. */
final class LocalPlanning {
    private LocalPlanning() {
    }

    /** `bktec run`: this job's share of the plan at the job count it was given. */
    static LocalPlanSource forRun(JobContext context, Config config, FileWeights weights, Console console) {
        return source(context, new LocalPlanSource.Settings(config.plan().parallelism(), config.plan().splitByExample(),
                tagFilter(config), Duration.ZERO, 0), config, weights, console);
    }

    /** `bktec plan`: with a target time, also the parallelism. */
    static LocalPlanSource forPlan(JobContext context, Config config, FileWeights weights, Console console) {
        return source(context, new LocalPlanSource.Settings(config.plan().parallelism(), config.plan().splitByExample(),
                tagFilter(config), config.plan().targetTime(), config.plan().maxParallelism()), config, weights, console);
    }

    private static String tagFilter(Config config) {
        return config.files().tagFilter().map(TagFilter::argument).orElse("");
    }

    private static LocalPlanSource source(JobContext context, LocalPlanSource.Settings settings, Config config,
                                          FileWeights weights, Console console) {
        List<String> arguments = config.files().tagFilter().map(TagFilter::pytestArguments).orElse(List.of());
        return new LocalPlanSource(settings, weights, files -> collection(context, arguments).testsOf(files),
                console::warning);
    }

    /** pytest's collection with bktec's plugin, as `pytest`, or `python3 -m pytest` when only Python is on PATH. */
    private static StreamCollection collection(JobContext context, List<String> arguments)
            throws StreamCollection.CollectionException {
        ProgramLocator programs = new ProgramLocator(context.env.get("PATH"), context.workingDirectory);
        List<String> pytest = programs.locate("pytest").map(p -> List.of(p.toString()))
                .or(() -> programs.locate("python3").map(p -> List.of(p.toString(), "-m", "pytest")))
                .orElseThrow(() -> new StreamCollection.CollectionException("neither pytest nor python3 is on PATH"));
        Map<String, String> environment = new HashMap<>(context.env);
        environment.remove("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN"); // pytest has no use for bktec's API token
        return new StreamCollection(pytest, arguments, context.workingDirectory, environment);
    }
}
