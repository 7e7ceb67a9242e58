package io.bktec.job;

import io.bktec.outcome.ExitStatus;
import io.bktec.results.DurationSources;
import io.bktec.results.DurationsFile;
import io.bktec.results.ResultFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** `bktec durations`: merges durations from result files and earlier durations files into one pytest-split file. */
public final class DurationsJob {
    private final JobContext job;

    public DurationsJob(JobContext job) {
        this.job = job;
    }

    /**
     * @param outputOrNull where to write, relative to the working directory; null for pytest-split's default name
     * @return the exit status: 0, or the configuration error's when an input is missing or holds no durations
     */
    public int merge(String outputOrNull, List<String> inputs) {
        String output = outputOrNull == null ? DurationsFile.DEFAULT_NAME : outputOrNull;
        List<Path> paths = inputs.stream().map(job.workingDirectory()::resolve).toList();
        for (int i = 0; i < paths.size(); i++) {
            if (!Files.exists(paths.get(i))) {
                job.err().println("bktec durations: " + inputs.get(i) + " does not exist");
                return ExitStatus.CONFIG_ERROR;
            }
        }
        DurationSources.Merged merged;
        try {
            merged = new DurationSources(job.workingDirectory(),
                    note -> job.err().println("bktec durations: " + note)).merge(paths);
        } catch (IOException | ResultFormatException e) {
            job.err().println("bktec durations: could not read durations: " + e.getMessage());
            return ExitStatus.CONFIG_ERROR;
        }
        if (merged.durations().isEmpty()) {
            job.err().println("bktec durations: found no test durations in " + String.join(", ", inputs)
                    + " (pytest-split JSON, JUnit XML or buildkite-test-collector JSON)");
            return ExitStatus.CONFIG_ERROR;
        }
        try {
            DurationsFile.write(job.workingDirectory().resolve(output), merged.durations());
        } catch (IOException e) {
            job.err().println("bktec durations: could not write " + output + ": " + e);
            return ExitStatus.CONFIG_ERROR;
        }
        job.err().println("bktec durations: wrote " + merged.durations().size() + " test durations from "
                + merged.inputsWithDurations() + " of " + inputs.size() + " input" + (inputs.size() == 1 ? "" : "s")
                + " to " + output);
        return 0;
    }
}
