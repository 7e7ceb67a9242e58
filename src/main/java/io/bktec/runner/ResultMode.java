package io.bktec.runner;

/** Which result file format a pytest run writes. */
public enum ResultMode {
    /** buildkite-test-collector's {@code --json} output. */
    JSON("json", "JSON (buildkite-test-collector)"),
    /** pytest's own {@code --junit-xml}. */
    JUNIT("xml", "JUnit XML");

    private final String extension;
    private final String description;

    ResultMode(String extension, String description) {
        this.extension = extension;
        this.description = description;
    }

    public String extension() {
        return extension;
    }

    public String description() {
        return description;
    }
}
