package io.bktec.worker;

import java.util.List;

/**
 * One piece of a node's work: a test file, or some of its tests (a retry, or what a crashed worker left undone).
 *
 * @param file   the file, as the plan names it
 * @param ids    node ids within the file to run, or empty for the whole file
 * @param weight expected seconds (or 1 without durations), for longest-first order
 */
public record WorkItem(String file, List<String> ids, double weight) {
    public WorkItem {
        ids = List.copyOf(ids);
    }

    public static WorkItem wholeFile(String file, double weight) {
        return new WorkItem(file, List.of(), weight);
    }

    public boolean wholeFile() {
        return ids.isEmpty();
    }

    /** What a worker must be given to collect this item: the file, or its node ids. */
    public List<String> arguments() {
        return wholeFile() ? List.of(file) : ids;
    }

    /** A node id's file: the part before its first {@code ::}. */
    public static String fileOf(String test) {
        int separator = test.indexOf("::");
        return separator < 0 ? test : test.substring(0, separator);
    }
}
