package io.bktec.discovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowFileTest {
    @TempDir
    Path dir;

    @Test
    void readsTrimmedNonBlankRows() throws Exception {
        Files.writeString(dir.resolve("files.txt"), "  tests/a.py \n\n tests/b.py\r\n");
        assertThat(RowFile.read(dir, "files.txt")).containsExactly("tests/a.py", "tests/b.py");
    }

    @Test
    void rejectsMissingEmptyAndBinaryFiles() throws Exception {
        assertThatThrownBy(() -> RowFile.read(dir, "nope.txt")).hasMessage("couldn't read rows from nope.txt: no such file");
        Files.writeString(dir.resolve("blank.txt"), "\n  \n");
        assertThatThrownBy(() -> RowFile.read(dir, "blank.txt")).hasMessage("no rows found in blank.txt");
        Files.write(dir.resolve("bin"), new byte[]{1, 0, 2});
        assertThatThrownBy(() -> RowFile.read(dir, "bin")).hasMessage("bin is not a text file");
    }
}
