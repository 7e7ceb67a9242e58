package io.bktec.report;

/** ANSI styling, or none: off when NO_COLOR is set, on under Buildkite or on a terminal. */
public final class Style {
    private final boolean enabled;

    public Style(boolean enabled) {
        this.enabled = enabled;
    }

    public static Style detect(java.util.Map<String, String> env, boolean terminal) {
        String noColor = env.get("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            return new Style(false);
        }
        return new Style(terminal || "true".equals(env.get("BUILDKITE")));
    }

    public boolean enabled() {
        return enabled;
    }

    public String red(String text) {
        return wrap("31;1", text);
    }

    public String green(String text) {
        return wrap("32", text);
    }

    public String yellow(String text) {
        return wrap("33;1", text);
    }

    public String bold(String text) {
        return wrap("1", text);
    }

    private String wrap(String code, String text) {
        return enabled ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
