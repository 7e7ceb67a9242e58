package io.bktec.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Reads a result file, or every result file in a directory (in path order), as pants writes one per target. */
public final class FileOrDirectoryReader implements ResultReader {
    private final ResultReader single;
    private final String extension;

    public FileOrDirectoryReader(ResultReader single, String extension) {
        this.single = single;
        this.extension = extension;
    }

    @Override
    public void prepare() {
        single.prepare();
    }

    @Override
    public void read(Path file, Consumer<TestResult> sink) throws IOException, ResultFormatException {
        if (!Files.isDirectory(file)) {
            single.read(file, sink);
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(file)) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(extension)).sorted().toList();
        }
        for (Path each : files) {
            single.read(each, sink);
        }
    }
}
