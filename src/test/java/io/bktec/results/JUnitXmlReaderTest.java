package io.bktec.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.bktec.results.Fixtures.RESULTS;
import static io.bktec.results.Fixtures.SAMPLE;
import static io.bktec.results.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JUnitXmlReaderTest {
    @TempDir
    Path dir;

    private List<String> failedIds(String fixture) throws Exception {
        return read(new JUnitXmlReader(SAMPLE), RESULTS.resolve(fixture)).stream()
                .filter(r -> r.status() == TestStatus.FAILED && !r.collectionError())
                .map(TestResult::nodeId).distinct().toList();
    }

    @Test
    void theNamelessTestcasePytestLeavesForATestItsSessionStoppedInsideIsNoPass() throws Exception {
        List<TestResult> results = read(new JUnitXmlReader(Path.of("testdata/early-stop")),
                RESULTS.resolve("junit/junit-stopped-inside-a-test.xml"));
        assertThat(results).extracting(TestResult::nodeId, TestResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("tests/test_other.py::test_one", TestStatus.PASSED),
                org.assertj.core.groups.Tuple.tuple("tests/test_other.py::test_two", TestStatus.PASSED));
    }

    @Test
    void failuresAndErrorsAreFailedAndDottedDirectoriesAreFoundOnDisk() throws Exception {
        List<String> failed = failedIds("junit/junit-full.xml");
        // JUnit also counts the teardown error of a passing test as a failure (row 34 of the fixture README).
        assertThat(failed).containsAll(Fixtures.LIST_A)
                .contains("tests/test_fixture_errors.py::test_passes_but_teardown_fails")
                .hasSize(Fixtures.LIST_A.size() + 1);
    }

    @Test
    void aWarmedUpReaderReadsExactlyWhatAFreshOneReads() throws Exception {
        JUnitXmlReader warmed = new JUnitXmlReader(SAMPLE);
        warmed.prepare();
        warmed.prepare();
        assertThat(read(warmed, RESULTS.resolve("junit/junit-full.xml")))
                .isNotEmpty()
                .isEqualTo(read(new JUnitXmlReader(SAMPLE), RESULTS.resolve("junit/junit-full.xml")));
    }

    @Test
    void xunit1FileAttributeGivesTheSameIds() throws Exception {
        assertThat(failedIds("junit/junit-full-xunit1.xml")).containsExactlyInAnyOrderElementsOf(failedIds("junit/junit-full.xml"));
    }

    @Test
    void collectionErrorHasAnEmptyClassnameAndModuleSkipIsSkipped() throws Exception {
        List<TestResult> results = read(new JUnitXmlReader(SAMPLE), RESULTS.resolve("junit/junit-collection-error.xml"));
        assertThat(results).filteredOn(TestResult::collectionError).singleElement()
                .satisfies(r -> assertThat(r.name()).isEqualTo("tests.test_import_error"));
        assertThat(results).filteredOn(r -> r.status() == TestStatus.SKIPPED).singleElement()
                .satisfies(r -> assertThat(r.nodeId()).isEqualTo("tests/test_module_skip.py"));
    }

    @Test
    void muteKeyIsTheRawClassnameAndName() throws Exception {
        TestResult r = read(new JUnitXmlReader(SAMPLE), RESULTS.resolve("junit/junit-full.xml")).stream()
                .filter(t -> t.name().equals("test_v2_status")).findFirst().orElseThrow();
        assertThat(r.muteKey()).isEqualTo("tests.api.v2.test_dotted.TestVersioned/test_v2_status");
        assertThat(r.nodeId()).isEqualTo("tests/api.v2/test_dotted.py::TestVersioned::test_v2_status");
        assertThat(r.failureReason()).isEqualTo("assert 404 == 200");
    }

    @Test
    void externalEntitiesAndDtdsAreRefused() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        Path xml = dir.resolve("xxe.xml");
        Files.writeString(xml, "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file://" + secret + "\">]>"
                + "<testsuites><testsuite><testcase classname=\"a\" name=\"&e;\"/></testsuite></testsuites>");
        assertThatThrownBy(() -> read(new JUnitXmlReader(dir), xml)).isInstanceOf(ResultFormatException.class)
                .hasMessageNotContaining("TOP-SECRET");
        Path laughs = dir.resolve("laughs.xml");
        Files.writeString(laughs, "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
                + "<testsuites><testsuite><testcase classname=\"a\" name=\"&c;\"/></testsuite></testsuites>");
        assertThatThrownBy(() -> read(new JUnitXmlReader(dir), laughs)).isInstanceOf(ResultFormatException.class);
    }

    @Test
    void truncatedAndForeignXmlAreFormatErrors() throws Exception {
        Path truncated = dir.resolve("t.xml");
        Files.writeString(truncated, "<testsuites><testsuite><testcase classname=\"a\" name=\"b\">");
        assertThatThrownBy(() -> read(new JUnitXmlReader(dir), truncated)).isInstanceOf(ResultFormatException.class);
        Path html = dir.resolve("h.xml");
        Files.writeString(html, "<html><body>502</body></html>");
        assertThatThrownBy(() -> read(new JUnitXmlReader(dir), html)).hasMessageContaining("not JUnit XML");
    }

    @Test
    void bareTestsuiteRootFromOldPytestIsAccepted() throws Exception {
        Path xml = dir.resolve("old.xml");
        Files.writeString(xml, "<testsuite><testcase classname=\"test_a\" name=\"test_x\"><skipped/></testcase></testsuite>");
        assertThat(read(new JUnitXmlReader(dir), xml)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(TestStatus.SKIPPED));
    }
}
