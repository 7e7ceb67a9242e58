package io.bktec.runner;

import io.bktec.results.CollectorJsonReader;
import io.bktec.results.JUnitXmlReader;
import io.bktec.results.ResultReader;

import java.nio.file.Path;

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

    /** The reader for one result file in this format (JUnit ids are resolved against the working directory). */
    public ResultReader fileReader(Path workingDirectory) {
        return this == JSON ? new CollectorJsonReader() : new JUnitXmlReader(workingDirectory);
    }
}
