package io.bktec.runner;

import io.bktec.shell.ShellSyntaxException;
import io.bktec.shell.ShellWords;

import java.util.ArrayList;
import java.util.List;

/**
 * A test command with the placeholders {@code {{testExamples}}} and {@code {{resultPath}}}. The template is split
 * into words first and the placeholders are replaced inside words afterwards, so a test id or path with spaces,
 * quotes or {@code $()} is always exactly one argument and is never interpreted.
 * <ul>
 *   <li>{@code {{testExamples}}}: the first occurrence becomes the tests, one word each (text around the
 *   placeholder in the same word sticks to the first and last test); with no placeholder the tests are appended.</li>
 *   <li>{@code {{resultPath}}}: every occurrence becomes the result path.</li>
 * </ul>
 */
public final class CommandTemplate {
    public static final String TEST_EXAMPLES = "{{testExamples}}";
    public static final String RESULT_PATH = "{{resultPath}}";

    private final String text;
    private final List<String> words;

    private CommandTemplate(String text, List<String> words) {
        this.text = text;
        this.words = words;
    }

    public static CommandTemplate parse(String text) throws CommandTemplateException {
        if (text.isBlank()) {
            throw new CommandTemplateException("the test command is empty");
        }
        List<String> words;
        try {
            words = ShellWords.split(text);
        } catch (ShellSyntaxException e) {
            throw new CommandTemplateException("cannot split the command \"" + text + "\": " + e.getMessage());
        }
        long examples = words.stream().filter(w -> w.contains(TEST_EXAMPLES)).count();
        if (examples > 1 || words.stream().anyMatch(w -> w.indexOf(TEST_EXAMPLES) != w.lastIndexOf(TEST_EXAMPLES))) {
            throw new CommandTemplateException("the command \"" + text + "\" has " + TEST_EXAMPLES
                    + " more than once; use it once (or leave it out to append the tests)");
        }
        if (words.get(0).contains(TEST_EXAMPLES) || words.get(0).contains(RESULT_PATH)) {
            throw new CommandTemplateException("the command \"" + text + "\" must start with a program, not a placeholder");
        }
        return new CommandTemplate(text, List.copyOf(words));
    }

    /** The same command with {@code word} inserted before the word at {@code index}. */
    public CommandTemplate withWordInserted(int index, String word) {
        List<String> more = new ArrayList<>(words);
        more.add(index, word);
        return new CommandTemplate(ShellWords.join(more), List.copyOf(more));
    }

    public String text() {
        return text;
    }

    public String program() {
        return words.get(0);
    }

    public boolean hasWordContaining(String fragment) {
        return words.stream().anyMatch(w -> w.contains(fragment));
    }

    public boolean hasWord(String word) {
        return words.contains(word);
    }

    public List<String> words() {
        return words;
    }

    /** The argv for these tests and this result path. */
    public List<String> expand(List<String> tests, String resultPath) {
        List<String> argv = new ArrayList<>(words.size() + tests.size());
        boolean placed = false;
        for (String word : words) {
            String w = word.replace(RESULT_PATH, resultPath);
            int at = w.indexOf(TEST_EXAMPLES);
            if (at < 0) {
                argv.add(w);
                continue;
            }
            placed = true;
            String before = w.substring(0, at);
            String after = w.substring(at + TEST_EXAMPLES.length());
            if (tests.isEmpty()) {
                if (!(before + after).isEmpty()) {
                    argv.add(before + after);
                }
                continue;
            }
            for (int i = 0; i < tests.size(); i++) {
                String test = tests.get(i);
                if (i == 0) {
                    test = before + test;
                }
                if (i == tests.size() - 1) {
                    test = test + after;
                }
                argv.add(test);
            }
        }
        if (!placed) {
            argv.addAll(tests);
        }
        return argv;
    }
}
