package io.bktec.bench;

import io.bktec.results.CollectorJsonReader;
import io.bktec.results.JUnitXmlReader;
import io.bktec.results.ResultReader;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark: parse a generated N-test collector JSON file and JUnit XML file; prints seconds and peak heap.
 * Usage (run with -Xmx256m): ParseBench <dir> <tests>
 */
public final class ParseBench {
    private ParseBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int tests = Integer.parseInt(args[1]);
        Path json = dir.resolve("big.json");
        Path xml = dir.resolve("big.xml");
        writeJson(json, tests);
        writeXml(xml, tests);
        System.out.printf("parse: %d tests; JSON %.1f MiB, JUnit %.1f MiB, max heap %d MiB%n", tests,
                Files.size(json) / 1048576.0, Files.size(xml) / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576);
        measure("collector JSON", new CollectorJsonReader(), json);
        measure("JUnit XML", new JUnitXmlReader(dir), xml);
    }

    private static void measure(String name, ResultReader reader, Path file) throws Exception {
        System.gc();
        resetPeaks();
        AtomicLong count = new AtomicLong();
        long start = System.nanoTime();
        reader.read(file, r -> count.incrementAndGet());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("  %-15s %7d results in %.3f s, peak heap %.1f MiB%n", name, count.get(), seconds, peakHeapMiB());
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static double peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1048576.0;
    }

    private static void writeJson(Path file, int tests) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write('[');
            for (int i = 0; i < tests; i++) {
                int module = i / 50;
                w.write((i > 0 ? ", " : "") + "{\"id\": \"" + java.util.UUID.randomUUID() + "\", \"scope\": \"tests/m" + module
                        + "/test_mod" + module + ".py::TestCase\", \"name\": \"test_case_" + i + "[param-" + i
                        + "]\", \"location\": \"tests/m" + module + "/test_mod" + module + ".py:" + i
                        + "\", \"file_name\": \"tests/m" + module + "/test_mod" + module
                        + ".py\", \"history\": {\"section\": \"top\", \"children\": [], \"start_at\": 0.1, \"end_at\": 0.2, "
                        + "\"duration\": 0.1}, \"result\": \"" + (i % 97 == 0 ? "failed\", \"failure_reason\": \"assert 1 == 2\"" : "passed\"")
                        + "}");
            }
            w.write(']');
        }
    }

    private static void writeXml(Path file, int tests) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<?xml version=\"1.0\" encoding=\"utf-8\"?><testsuites><testsuite name=\"pytest\">");
            for (int i = 0; i < tests; i++) {
                int module = i / 50;
                w.write("<testcase classname=\"tests.m" + module + ".test_mod" + module + ".TestCase\" name=\"test_case_" + i
                        + "[param-" + i + "]\" time=\"0.100\"" + (i % 97 == 0 ? "><failure message=\"assert 1 == 2\">trace</failure></testcase>" : " />"));
            }
            w.write("</testsuite></testsuites>");
        }
    }
}
