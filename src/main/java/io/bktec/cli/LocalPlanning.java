package io.bktec.cli;

import io.bktec.config.Config;
import io.bktec.plan.FileWeights;
import io.bktec.plan.LocalPlanSource;
import io.bktec.report.Console;
import io.bktec.runner.ProgramLocator;
import io.bktec.stream.StreamCollection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The local plan source as `run` and `plan` configure it: durations, split by example, target time. */
final class LocalPlanning {
    private LocalPlanning() {
    }

    /** `bktec run`: this job's share of the plan at the job count it was given. */
    static LocalPlanSource forRun(CommandContext context, Config config, FileWeights weights, Console console) {
        return source(context, LocalPlanSource.Settings.fixed(config.parallelism(), config.splitByExample()), weights,
                console);
    }

    /** `bktec plan`: with a target time, also the parallelism. */
    static LocalPlanSource forPlan(CommandContext context, Config config, FileWeights weights, Console console) {
        return source(context, new LocalPlanSource.Settings(config.parallelism(), config.splitByExample(),
                config.targetTime(), config.maxParallelism()), weights, console);
    }

    private static LocalPlanSource source(CommandContext context, LocalPlanSource.Settings settings,
                                          FileWeights weights, Console console) {
        return new LocalPlanSource(settings, weights, files -> collection(context).testsOf(files), console::warning);
    }

    /** pytest's collection with bktec's plugin, as `pytest`, or `python3 -m pytest` when only Python is on PATH. */
    private static StreamCollection collection(CommandContext context) throws StreamCollection.CollectionException {
        ProgramLocator programs = new ProgramLocator(context.env.get("PATH"), context.workingDirectory);
        List<String> pytest = programs.locate("pytest").map(p -> List.of(p.toString()))
                .or(() -> programs.locate("python3").map(p -> List.of(p.toString(), "-m", "pytest")))
                .orElseThrow(() -> new StreamCollection.CollectionException("neither pytest nor python3 is on PATH"));
        Map<String, String> environment = new HashMap<>(context.env);
        environment.remove("BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN"); // pytest has no use for bktec's API token
        return new StreamCollection(pytest, context.workingDirectory, environment);
    }
}
