package io.bktec.run;

import io.bktec.process.ChildExit;
import io.bktec.process.OutputSink;
import io.bktec.process.ProcessLauncher;
import io.bktec.process.ProcessRegistry;
import io.bktec.runner.Pytest;
import io.bktec.stream.FakeStreamWriter;
import io.bktec.stream.ResultsStream;
import io.bktec.stream.TestStream;
import reactor.core.scheduler.Schedulers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline (batches, result parsing, results streams, retries, exit status) driven by a scripted fake test
 * command with random exit codes, random result files, random signals and, when the results stream is on, random
 * teardown errors (which the result file calls passed, as the collector does) and crashes in the middle of a test,
 * over several attempts, checked against an oracle written from DESIGN.md §3 alone: no false green, and no false
 * red. CI runs the default number of tries; the property run uses {@code -Djqwik.tries.default=10000}.
 */
class NoFalseGreenPropertyTest {
    private final Path dir;

    NoFalseGreenPropertyTest() throws IOException {
        dir = Files.createTempDirectory("bktec-property");
    }

    @AfterProperty
    void cleanUp() throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** What the fake does in one invocation. */
    enum Exit { NORMAL, FORCE_0, FORCE_1, FORCE_2, FORCE_4, FORCE_5, SIGNAL, NOT_STARTED }

    enum Results { VALID, MISSING, GARBAGE }

    /** Everything the fake did, for the oracle. */
    static final class Log {
        final Map<String, Boolean> lastStatusFailed = new HashMap<>();
        boolean unexplained;
        boolean anyResult;
        final List<int[]> exits = new ArrayList<>(); // {code or -signal, failedInFile, resultsValid}
    }

    final class Fake implements ProcessLauncher {
        final Random random;
        final Log log = new Log();
        final Map<String, List<String>> suite;

        final Path rootdir;

        Fake(long seed, Map<String, List<String>> suite, Path rootdir) {
            this.random = new Random(seed);
            this.suite = suite;
            this.rootdir = rootdir;
        }

        @Override
        public Mono<ChildExit> run(List<String> argv, Map<String, String> environment, OutputSink output) {
            return Mono.fromCallable(() -> invoke(argv, FakeStreamWriter.from(environment)));
        }

        private synchronized ChildExit invoke(List<String> argv, Optional<FakeStreamWriter> stream) throws IOException {
            Exit exit = Exit.values()[random.nextInt(100) < 60 ? 0 : random.nextInt(Exit.values().length)];
            Results results = random.nextInt(100) < 80 ? Results.VALID : Results.values()[random.nextInt(3)];
            String resultPath = null;
            List<String> tests = new ArrayList<>();
            for (String arg : argv.subList(1, argv.size())) {
                if (arg.startsWith("--junit-xml=")) {
                    resultPath = arg.substring(12);
                } else if (arg.contains("::")) {
                    tests.add(arg);
                } else {
                    suite.get(arg).forEach(t -> tests.add(arg + "::" + t));
                }
            }
            if (exit == Exit.NOT_STARTED) {
                log.unexplained = true;
                return new ChildExit.NotStarted("scripted");
            }
            stream.ifPresent(s -> s.sessionStart(rootdir).collected(tests));
            int crashAt = stream.isPresent() && random.nextInt(100) < 10 ? random.nextInt(tests.size()) : -1;
            int failed = 0;
            StringBuilder xml = new StringBuilder("<testsuites><testsuite>");
            Map<String, Boolean> statuses = new HashMap<>();
            for (int i = 0; i < tests.size(); i++) {
                String test = tests.get(i);
                if (i == crashAt) {
                    // The test kills its process: its start is in the stream, nothing after it anywhere.
                    stream.get().start(test);
                    log.unexplained = true;
                    return random.nextBoolean() ? new ChildExit.Signalled(1 + random.nextInt(15))
                            : new ChildExit.Exited(random.nextBoolean() ? 0 : 3);
                }
                boolean fails = random.nextInt(100) < 30;
                boolean skip = !fails && random.nextInt(100) < 10;
                boolean teardownError = stream.isPresent() && !skip && random.nextInt(100) < 10;
                statuses.put(test, fails || teardownError);
                failed += fails || teardownError ? 1 : 0;
                String outcome = fails ? "failed" : skip ? "skipped" : "passed";
                stream.ifPresent(s -> s.test(test, outcome, teardownError ? "failed" : "passed"));
                String file = test.substring(0, test.indexOf("::"));
                xml.append("<testcase classname=\"").append(file, 0, file.length() - 3).append("\" name=\"")
                        .append(test.substring(test.lastIndexOf("::") + 2)).append("\">")
                        .append(fails ? "<failure message=\"x\"/>" : skip ? "<skipped/>" : "").append("</testcase>");
            }
            xml.append("</testsuite></testsuites>");
            boolean valid = results == Results.VALID;
            if (results == Results.VALID) {
                Files.writeString(Path.of(resultPath), xml);
            } else if (results == Results.GARBAGE) {
                Files.writeString(Path.of(resultPath), xml.substring(0, xml.length() / 2));
            }
            int code = switch (exit) {
                case NORMAL -> failed > 0 ? 1 : 0;
                case FORCE_0 -> 0;
                case FORCE_1 -> 1;
                case FORCE_2 -> 2;
                case FORCE_4 -> 4;
                case FORCE_5 -> 5;
                default -> -1;
            };
            stream.ifPresent(s -> s.sessionEnd(code));
            // The oracle, from DESIGN.md §3 only; with a stream, the stream is what pytest saw.
            boolean known = valid || stream.isPresent();
            if (known) {
                log.anyResult |= !tests.isEmpty();
                log.lastStatusFailed.putAll(statuses);
            }
            if (exit == Exit.SIGNAL) {
                log.unexplained = true;
                return new ChildExit.Signalled(1 + random.nextInt(15));
            }
            boolean explained = code == 0 || (code == 1 && known && failed > 0) || code == 5;
            if (!explained) {
                log.unexplained = true;
            }
            log.exits.add(new int[]{code, failed, valid ? 1 : 0});
            return new ChildExit.Exited(code);
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property
    void anUnexplainedFailureNeverExitsZeroAndAClearRunNeverExitsNonZero(@ForAll("seeds") long seed) throws Exception {
        Random shape = new Random(seed);
        Map<String, List<String>> suite = new HashMap<>();
        List<String> files = new ArrayList<>();
        for (int f = 0; f < 1 + shape.nextInt(5); f++) {
            String file = "test_f" + f + ".py";
            files.add(file);
            List<String> tests = new ArrayList<>();
            for (int t = 0; t < 1 + shape.nextInt(4); t++) {
                tests.add("test_" + t);
            }
            suite.put(file, tests);
        }
        Path run = Files.createTempDirectory(dir, "run");
        Fake fake = new Fake(seed, suite, run);
        ResultsStream streams = shape.nextBoolean() ? ResultsStream.off() : ResultsStream.using(run.resolve("python"),
                Map.of(), TestStream.ScopeStyle.JUNIT, run, Duration.ofMillis(5), Schedulers.boundedElastic());
        RunOptions options = new RunOptions(shape.nextInt(4), false, shape.nextInt(3), 1 + shape.nextInt(3),
                Batches.DEFAULT_MAX_ARGUMENT_BYTES);
        ProcessRegistry registry = new ProcessRegistry(Duration.ofSeconds(1), VirtualTimeScheduler.create(), (g, s) -> true);
        RunPipeline pipeline = new RunPipeline(Pytest.configure(Optional.empty(), Optional.empty(), () -> false, n -> { }),
                options, fake, registry, new ResultFiles(Optional.empty(), run, "xml"), Quiet.LISTENER, b -> Quiet.OUTPUT, run,
                streams);
        RunReport report = pipeline.run(files, Set.of()).block(Duration.ofSeconds(30));
        int code = report.decision().code();

        boolean latestFailure = fake.log.lastStatusFailed.values().stream().anyMatch(f -> f);
        boolean noTestsAnywhere = !fake.log.anyResult && fake.log.exits.stream().anyMatch(e -> e[0] == 5);
        if (fake.log.unexplained || latestFailure || noTestsAnywhere) {
            assertThat(code).as("seed %d: %s", seed, report.decision()).isNotZero();
        } else {
            assertThat(code).as("seed %d: %s", seed, report.decision()).isZero();
        }
    }
}
