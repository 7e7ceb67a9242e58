package io.bktec.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stacks of every thread of a test's process as Python's faulthandler writes them (most recent call first, the
 * thread that took the signal marked "Current thread"), and where in the test's own file it stood. Pure.
 *
 * @param text the dump as written; empty when no stack could be taken
 */
public record Stack(String text) {
    private static final Pattern FRAME = Pattern.compile("^\\s*File \"(.*)\", line (\\d+) in (.*)$");

    public static Stack none() {
        return new Stack("");
    }

    /** One frame of a thread's stack. */
    public record Frame(String path, int line, String function) {
    }

    /** Each thread's frames, innermost first, the thread that took the signal (the main thread) first. */
    public List<List<Frame>> threads() {
        List<List<Frame>> current = new ArrayList<>();
        List<List<Frame>> others = new ArrayList<>();
        List<Frame> frames = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("Current thread ")) {
                frames = new ArrayList<>();
                current.add(frames);
            } else if (line.startsWith("Thread ")) {
                frames = new ArrayList<>();
                others.add(frames);
            } else if (frames != null) {
                Matcher frame = FRAME.matcher(line);
                if (frame.matches()) {
                    frames.add(new Frame(frame.group(1), Integer.parseInt(frame.group(2)), frame.group(3).strip()));
                }
            }
        }
        current.addAll(others);
        return current;
    }

    /**
     * Where the test stood: the innermost frame in its own file (the file part of its node id, relative to where
     * bktec runs), "tests/test_x.py:12 (in test_sleeps)"; the main thread's first, then the other threads'.
     */
    public Optional<String> whereIn(String testFile) {
        for (List<Frame> thread : threads()) {
            for (Frame frame : thread) {
                if (frame.path().equals(testFile) || frame.path().endsWith("/" + testFile)) {
                    return Optional.of(testFile + ":" + frame.line() + " (in " + frame.function() + ")");
                }
            }
        }
        return Optional.empty();
    }
}
