package io.bktec.bench;

import io.bktec.discovery.DiscoveryRequest;
import io.bktec.discovery.FileDiscovery;
import io.bktec.discovery.PytestCollectionConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Benchmark: discovery over a generated tree of N files (a fifth of them test files) against `find` with the same
 * pattern, both measured here (best of 3 after a first walk, which is reported too; JVM start-up excluded, find's
 * process start included).
 * Usage: DiscoveryBench <dir> <files>
 */
public final class DiscoveryBench {
    private DiscoveryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int files = Integer.parseInt(args[1]);
        for (int i = 0; i < files; i++) {
            Path dir = root.resolve("pkg" + (i / 1000)).resolve("sub" + (i / 100 % 10));
            if (i % 100 == 0) {
                Files.createDirectories(dir);
            }
            String name = i % 5 == 0 ? "test_f" + i + ".py" : i % 5 == 1 ? "f" + i + "_test.py" : "module" + i + ".py";
            Files.createFile(dir.resolve(name));
        }
        FileDiscovery discovery = new FileDiscovery(root, w -> { });
        // pytest's rules on top of the pattern, as a run with no pytest configuration walks
        DiscoveryRequest request = new DiscoveryRequest(Optional.of("**/{*_test,test_*}.py"), "",
                PytestCollectionConfig.defaults(root));
        long coldStart = System.nanoTime();
        discovery.find(request); // the first walk, in a cold JVM, as a single run would do it
        long cold = System.nanoTime() - coldStart;
        long best = Long.MAX_VALUE;
        int found = 0;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            List<String> result = discovery.find(request).files();
            best = Math.min(best, System.nanoTime() - start);
            found = result.size();
        }
        // No pattern: pytest's python_files decide, as in a run without BUILDKITE_TEST_ENGINE_TEST_FILE_PATTERN.
        DiscoveryRequest pythonFiles = new DiscoveryRequest(Optional.empty(), "",
                PytestCollectionConfig.defaults(root));
        long bestPythonFiles = Long.MAX_VALUE;
        int foundPythonFiles = 0;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            foundPythonFiles = discovery.find(pythonFiles).files().size();
            bestPythonFiles = Math.min(bestPythonFiles, System.nanoTime() - start);
        }
        long bestFind = Long.MAX_VALUE;
        int foundFind = 0;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            Process find = new ProcessBuilder("find", ".", "-type", "f", "(", "-name", "*_test.py", "-o", "-name", "test_*.py", ")")
                    .directory(root.toFile()).redirectErrorStream(true).start();
            long lines = new String(find.getInputStream().readAllBytes()).lines().count();
            find.waitFor();
            bestFind = Math.min(bestFind, System.nanoTime() - start);
            foundFind = (int) lines;
        }
        System.out.printf("discovery: %d files in the tree; bktec found %d in %.3f s (first walk, cold JVM: %.3f s), "
                        + "find found %d in %.3f s; ratio %.2f; by python_files (no pattern) %d in %.3f s, ratio %.2f%n",
                files, found, best / 1e9, cold / 1e9, foundFind, bestFind / 1e9, (double) best / bestFind,
                foundPythonFiles, bestPythonFiles / 1e9, (double) bestPythonFiles / bestFind);
    }
}
