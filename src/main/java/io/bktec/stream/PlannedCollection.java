package io.bktec.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * How a pytest process is handed many tests so that its collection stays linear: the directory that holds them all
 * goes on the command line, and the planned paths and node ids go in a list file that bktec's pytest plugin reads
 * ({@code --bktec-planned=FILE}), so that pytest walks that directory once and keeps to what was planned. Handed the
 * files themselves, pytest collects their directory again for each file argument: quadratic in files per directory
 * (3.0× at 500 files). Without the plugin pytest stops on the unknown option before collecting anything, and bktec
 * goes back to the file list. Pure.
 */
public final class PlannedCollection {
    /** The plugin's option; pytest without the plugin names it in its usage error. */
    public static final String OPTION = "--bktec-planned";
    /** Below this many tests the file list costs little, and the logged command shows what runs. */
    public static final int MIN_TESTS = 32;

    private PlannedCollection() {
    }

    /** Whether these tests go to pytest as a directory and a list file rather than one argument each. */
    public static boolean suits(List<String> tests) {
        return tests.size() >= MIN_TESTS && possible(tests);
    }

    /** Whether these tests can go to pytest as a directory and a list file at all (however few they are). */
    public static boolean possible(List<String> tests) {
        if (tests.isEmpty() || tests.stream().anyMatch(t -> t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0)) {
            return false;
        }
        long absolute = tests.stream().filter(t -> t.startsWith("/")).count();
        return absolute == 0 || absolute == tests.size();
    }

    /** The command-line arguments that stand for the tests: their common directory and the option naming the list. */
    public static List<String> arguments(List<String> tests, String listFile) {
        return arguments(commonDirectory(tests), listFile);
    }

    /** The same for a directory chosen by the caller (one that holds every planned test). */
    public static List<String> arguments(String directory, String listFile) {
        // pytest would read "-dir" as an option
        return List.of(directory.startsWith("-") ? "./" + directory : directory, OPTION + "=" + listFile);
    }

    /** The list file's text: one planned path or node id a line, as planned. */
    public static String listing(List<String> tests) {
        StringBuilder text = new StringBuilder();
        for (String test : tests) {
            text.append(test).append('\n');
        }
        return text.toString();
    }

    /** The deepest directory holding every test's file, relative as the tests are ("." for the working directory). */
    public static String commonDirectory(List<String> tests) {
        List<String> common = null;
        boolean absolute = !tests.isEmpty() && tests.get(0).startsWith("/");
        for (String test : tests) {
            int separator = test.indexOf("::");
            String file = separator < 0 ? test : test.substring(0, separator);
            List<String> directories = new ArrayList<>(List.of(file.split("/+")));
            directories.remove(directories.size() - 1); // the file's own name
            directories.removeIf(part -> part.isEmpty() || part.equals("."));
            if (common == null) {
                common = directories;
            } else {
                int shared = 0;
                while (shared < common.size() && shared < directories.size()
                        && common.get(shared).equals(directories.get(shared))) {
                    shared++;
                }
                common = common.subList(0, shared);
            }
        }
        if (common == null || common.isEmpty()) {
            return absolute ? "/" : ".";
        }
        return (absolute ? "/" : "") + String.join("/", common);
    }
}
