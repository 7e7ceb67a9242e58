package io.bktec.cli;

import io.bktec.results.DurationSources;
import io.bktec.results.DurationsFile;
import io.bktec.results.ResultFormatException;
import io.bktec.run.ExitStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** `bktec durations`: merges durations from result files and earlier durations files into one pytest-split file. */
final class DurationsCommand {
    private final CommandContext context;

    DurationsCommand(CommandContext context) {
        this.context = context;
    }

    int execute(Map<String, String> flags, List<String> inputs) {
        String output = flags.getOrDefault("output", DurationsFile.DEFAULT_NAME);
        List<Path> paths = inputs.stream().map(context.job.workingDirectory()::resolve).toList();
        for (int i = 0; i < paths.size(); i++) {
            if (!Files.exists(paths.get(i))) {
                context.job.err().println("bktec durations: " + inputs.get(i) + " does not exist");
                return ExitStatus.CONFIG_ERROR;
            }
        }
        DurationSources.Merged merged;
        try {
            merged = new DurationSources(context.job.workingDirectory(),
                    note -> context.job.err().println("bktec durations: " + note)).merge(paths);
        } catch (IOException | ResultFormatException e) {
            context.job.err().println("bktec durations: could not read durations: " + e.getMessage());
            return ExitStatus.CONFIG_ERROR;
        }
        if (merged.durations().isEmpty()) {
            context.job.err().println("bktec durations: found no test durations in " + String.join(", ", inputs)
                    + " (pytest-split JSON, JUnit XML or buildkite-test-collector JSON)");
            return ExitStatus.CONFIG_ERROR;
        }
        try {
            DurationsFile.write(context.job.workingDirectory().resolve(output), merged.durations());
        } catch (IOException e) {
            context.job.err().println("bktec durations: could not write " + output + ": " + e);
            return ExitStatus.CONFIG_ERROR;
        }
        context.job.err().println("bktec durations: wrote " + merged.durations().size() + " test durations from "
                + merged.inputsWithDurations() + " of " + inputs.size() + " input" + (inputs.size() == 1 ? "" : "s")
                + " to " + output);
        return 0;
    }
}
