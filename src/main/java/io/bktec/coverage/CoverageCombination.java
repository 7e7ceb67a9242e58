package io.bktec.coverage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bktec.process.HelperCommand;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The run's coverage: every test process's data file combined into the user's, and the reports pytest-cov was asked
 * for written once, by bktec's helper (coverage_combine.py in the plugin's package) in the Python that ran pytest,
 * where pytest ran. Every failure is one line, never a stack: a Python not on this machine (a test command inside a
 * container), coverage missing there, no data, a helper that fails or runs too long.
 */
public final class CoverageCombination {
    /** A combination of a huge suite with an HTML report takes a while; one that hangs is stopped. */
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final JsonFactory JSON = new JsonFactory();

    private final Path helper;
    private final Path temporaryDirectory;
    private final Map<String, String> environment;

    /**
     * @param helper             coverage_combine.py, as installed in the run's directory
     * @param temporaryDirectory where the test processes' data files are, and where the helper's files go
     * @param environment        the test processes' environment, which the helper runs in too
     */
    public CoverageCombination(Path helper, Path temporaryDirectory, Map<String, String> environment) {
        this.helper = helper;
        this.temporaryDirectory = temporaryDirectory;
        this.environment = environment;
    }

    /**
     * Combines the data of the run's processes, if any process was measured (the first setup speaks for them all).
     *
     * @param runFailed whether the run failed, for --no-cov-on-fail
     */
    public Mono<CoverageOutcome> combine(List<CoverageSetup> setups, boolean runFailed) {
        if (setups.isEmpty()) {
            return Mono.just(new CoverageOutcome.None());
        }
        CoverageSetup setup = setups.get(0);
        return Mono.fromCallable(() -> run(setup, runFailed)).subscribeOn(Schedulers.boundedElastic());
    }

    private CoverageOutcome run(CoverageSetup setup, boolean runFailed) throws InterruptedException {
        if (!runsHere(setup.executable())) {
            return new CoverageOutcome.Failed(setup.executable() + ", the Python that ran pytest, is not on this "
                    + "machine (is the test command run in a container?)", setup.failUnder());
        }
        try {
            List<Path> files = CoverageFiles.all(temporaryDirectory);
            Path request = temporaryDirectory.resolve("coverage-request.json");
            Path result = temporaryDirectory.resolve("coverage-result.json");
            Files.writeString(request, request(setup, files, runFailed));
            Files.deleteIfExists(result);
            Optional<HelperCommand.Finished> finished = HelperCommand.run(List.of(setup.executable(),
                    helper.toString(), request.toString(), result.toString()), Path.of(setup.directory()), environment, TIMEOUT);
            if (finished.isEmpty()) {
                return new CoverageOutcome.Failed("combining took longer than " + TIMEOUT.toMinutes() + " minutes",
                        setup.failUnder());
            }
            if (!Files.exists(result)) {
                return new CoverageOutcome.Failed("the combination ended without a result (exit status "
                        + finished.get().exitStatus() + ": " + lastLine(finished.get().stderr()) + ")", setup.failUnder());
            }
            return outcome(Files.readString(result), setup, finished.get().stdout());
        } catch (IOException | InvalidPathException e) {
            return new CoverageOutcome.Failed("could not combine: " + e.getMessage(), setup.failUnder());
        }
    }

    private static boolean runsHere(String executable) {
        try {
            return !executable.isEmpty() && Files.isExecutable(Path.of(executable));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The helper's request: the process's setup as the plugin wrote it, every data file, and the run's verdict. */
    static String request(CoverageSetup setup, List<Path> files, boolean runFailed) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeFieldName("setup");
            json.writeRawValue(setup.event());
            json.writeArrayFieldStart("data_files");
            for (Path file : files) {
                json.writeString(file.toString());
            }
            json.writeEndArray();
            json.writeBooleanField("run_failed", runFailed);
            json.writeEndObject();
        }
        return text.toString();
    }

    /** The helper's result, read. */
    static CoverageOutcome outcome(String result, CoverageSetup setup, String output) throws IOException {
        JsonNode node = new ObjectMapper().readTree(result);
        if (node == null || !node.isObject()) {
            throw new InvalidObjectException("the combination's result is not a JSON object");
        }
        if (node.hasNonNull("error")) {
            return new CoverageOutcome.Failed(node.get("error").asText(), setup.failUnder());
        }
        OptionalDouble total = node.hasNonNull("total") ? OptionalDouble.of(node.get("total").asDouble())
                : OptionalDouble.empty();
        return new CoverageOutcome.Combined(node.path("data_file").asText(), total, setup.failUnder(),
                node.path("under").asBoolean(false), node.path("processes").asInt(0), output);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
