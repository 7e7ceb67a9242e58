package io.bktec.discovery;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An INI file as pytest reads one (the iniconfig library): {@code [section]} headers, {@code name = value} or
 * {@code name: value}, indented continuation lines joined with newlines, whole-line comments starting with {@code #}
 * or {@code ;}. Inline comments are part of the value, as in pytest.
 */
final class IniFile {
    private final Map<String, Map<String, String>> sections;

    private IniFile(Map<String, Map<String, String>> sections) {
        this.sections = sections;
    }

    /** A line pytest would reject too: the message names the line. */
    static final class IniSyntaxException extends Exception {
        IniSyntaxException(String message) {
            super(message);
        }
    }

    static IniFile parse(String text) throws IniSyntaxException {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> section = null;
        String lastName = null;
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1];
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            if (line.charAt(0) == '[') {
                String header = line.split("[#;]", 2)[0].stripTrailing();
                if (!header.endsWith("]")) {
                    throw new IniSyntaxException("line " + number + ": unexpected line: " + line.strip());
                }
                String name = header.substring(1, header.length() - 1);
                if (sections.containsKey(name)) {
                    throw new IniSyntaxException("line " + number + ": duplicate section '" + name + "'");
                }
                section = new LinkedHashMap<>();
                sections.put(name, section);
                lastName = null;
            } else if (Character.isWhitespace(line.charAt(0))) {
                if (section == null || lastName == null) {
                    throw new IniSyntaxException("line " + number + ": unexpected value continuation");
                }
                String previous = section.get(lastName);
                section.put(lastName, previous.isEmpty() ? stripped : previous + "\n" + stripped);
            } else {
                if (section == null) {
                    throw new IniSyntaxException("line " + number + ": no section header defined");
                }
                int equals = line.indexOf('=');
                int colon = line.indexOf(':');
                int at = equals >= 0 && (colon < 0 || colon > equals) ? equals : colon;
                if (at < 0) {
                    throw new IniSyntaxException("line " + number + ": unexpected line: " + stripped);
                }
                String name = line.substring(0, at).strip();
                if (section.containsKey(name)) {
                    throw new IniSyntaxException("line " + number + ": duplicate name '" + name + "'");
                }
                section.put(name, line.substring(at + 1).strip());
                lastName = name;
            }
        }
        return new IniFile(sections);
    }

    boolean hasSection(String name) {
        return sections.containsKey(name);
    }

    /** The section's values, empty when there is no such section. */
    Map<String, String> section(String name) {
        return sections.getOrDefault(name, Map.of());
    }
}
