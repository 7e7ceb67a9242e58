package io.bktec.run;

import io.bktec.process.ChildExit;
import io.bktec.process.OutputSink;
import io.bktec.process.ProcessLauncher;
import io.bktec.results.TestStatus;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A pretend pytest: expands file arguments into the tests it knows, decides each test's outcome from how many times
 * it has run, writes JUnit XML to the --junit-xml path and exits like pytest (1 when a test failed).
 */
final class FakeSuite implements ProcessLauncher {
    private final Map<String, List<String>> testsByFile;
    private final BiFunction<String, Integer, TestStatus> outcome;
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final List<List<String>> invocations = new CopyOnWriteArrayList<>();
    Function<List<String>, Integer> exitOverride = argv -> null;
    boolean writeResults = true;

    FakeSuite(Map<String, List<String>> testsByFile, BiFunction<String, Integer, TestStatus> outcome) {
        this.testsByFile = testsByFile;
        this.outcome = outcome;
    }

    @Override
    public Mono<ChildExit> run(List<String> argv, OutputSink output) {
        return Mono.fromCallable(() -> execute(argv, output)).subscribeOn(Schedulers.boundedElastic());
    }

    private ChildExit execute(List<String> argv, OutputSink output) throws IOException {
        invocations.add(argv);
        String resultPath = null;
        List<String> tests = new ArrayList<>();
        for (String arg : argv.subList(1, argv.size())) {
            if (arg.startsWith("--junit-xml=")) {
                resultPath = arg.substring("--junit-xml=".length());
            } else if (arg.contains("::")) {
                tests.add(arg);
            } else {
                testsByFile.getOrDefault(arg, List.of()).forEach(name -> tests.add(arg + "::" + name));
            }
        }
        StringBuilder xml = new StringBuilder("<testsuites><testsuite>");
        boolean failed = false;
        for (String nodeId : tests) {
            int run = runs.computeIfAbsent(nodeId, k -> new AtomicInteger()).getAndIncrement();
            TestStatus status = outcome.apply(nodeId, run);
            String file = nodeId.substring(0, nodeId.indexOf("::"));
            xml.append("<testcase classname=\"").append(file, 0, file.length() - 3).append("\" name=\"")
                    .append(nodeId.substring(nodeId.lastIndexOf("::") + 2)).append("\">");
            if (status == TestStatus.FAILED) {
                failed = true;
                xml.append("<failure message=\"boom\"/>");
            } else if (status == TestStatus.SKIPPED) {
                xml.append("<skipped/>");
            }
            xml.append("</testcase>");
        }
        xml.append("</testsuite></testsuites>");
        if (writeResults && resultPath != null) {
            Files.writeString(Path.of(resultPath), xml);
        }
        output.stdout(ByteBuffer.wrap(("ran " + tests.size() + " tests\n").getBytes(StandardCharsets.UTF_8)));
        output.end();
        Integer override = exitOverride.apply(argv);
        return new ChildExit.Exited(override != null ? override : failed ? 1 : 0);
    }
}
