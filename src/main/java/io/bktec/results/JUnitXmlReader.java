package io.bktec.results;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads pytest's JUnit XML with StAX. DTDs and external entities are off, so a hostile file cannot read local
 * files or expand entities. A {@code <failure>} or {@code <error>} child means failed, {@code <skipped>} skipped.
 * An error on a testcase with an empty classname is a collection error.
 */
public final class JUnitXmlReader implements ResultReader {
    private final Path workingDirectory;
    private final Map<String, String> nodeIdPrefixes = new ConcurrentHashMap<>();

    public JUnitXmlReader(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    static XMLInputFactory secureFactory() {
        // The JDK's own StAX, without the service lookup newFactory() makes through every jar entry (tens of ms cold).
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return factory;
    }

    @Override
    public void prepare() {
        byte[] document = "<?xml version=\"1.0\" encoding=\"utf-8\"?><testsuites><testsuite name=\"pytest\"/></testsuites>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            parse(new java.io.ByteArrayInputStream(document), "a warm-up document", result -> { });
        } catch (ResultFormatException | RuntimeException e) {
            // only a warm-up: the real read reports any problem
        }
    }

    @Override
    public void read(Path file, Consumer<TestResult> sink) throws IOException, ResultFormatException {
        try (InputStream in = Files.newInputStream(file)) {
            parse(in, file.toString(), sink);
        }
    }

    private void parse(InputStream in, String file, Consumer<TestResult> sink) throws ResultFormatException {
        try {
            XMLStreamReader xml = secureFactory().createXMLStreamReader(in);
            try {
                boolean sawRoot = false;
                while (xml.hasNext()) {
                    int event = xml.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw new ResultFormatException(file + " declares a DTD, which is not allowed in a result file");
                    }
                    if (event != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    String element = xml.getLocalName();
                    if (!sawRoot) {
                        sawRoot = true;
                        if (!element.equals("testsuites") && !element.equals("testsuite")) {
                            throw new ResultFormatException(file + " is not JUnit XML (root element <" + element + ">)");
                        }
                    }
                    if (element.equals("testcase")) {
                        TestResult result = testcase(xml);
                        if (result != null) {
                            sink.accept(result);
                        }
                    }
                }
                if (!sawRoot) {
                    throw new ResultFormatException(file + " has no XML elements");
                }
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new ResultFormatException(file + " is not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** The test a {@code <testcase>} reports, or null for one without a name (a test that never finished). */
    private TestResult testcase(XMLStreamReader xml) throws XMLStreamException {
        String classname = attribute(xml, "classname");
        String name = attribute(xml, "name");
        String fileAttribute = attribute(xml, "file");
        double time = parseTime(attribute(xml, "time"));
        boolean failed = false;
        boolean error = false;
        boolean skipped = false;
        String reason = "";
        int depth = 1;
        while (depth > 0 && xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (depth == 2) {
                    switch (xml.getLocalName()) {
                        case "failure", "error" -> {
                            error |= xml.getLocalName().equals("error");
                            if (!failed) {
                                reason = attribute(xml, "message");
                            }
                            failed = true;
                        }
                        case "skipped" -> skipped = true;
                        default -> {
                        }
                    }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        if (classname.isEmpty() && name.isEmpty() && !failed && !skipped) {
            // pytest's record of a test its session stopped inside (pytest.exit, an interrupt): it never finished.
            return null;
        }
        TestStatus status = failed ? TestStatus.FAILED : skipped ? TestStatus.SKIPPED : TestStatus.PASSED;
        String nodeId = classname.isEmpty()
                ? NodeIds.fromJUnit(classname, name, fileAttribute, this::isFile, this::isDirectory)
                : nodeIdPrefixes.computeIfAbsent(classname + "\n" + fileAttribute,
                        k -> NodeIds.junitPrefix(classname, fileAttribute, this::isFile, this::isDirectory)) + "::" + name;
        boolean collectionError = classname.isEmpty() && error;
        return new TestResult(classname, name, nodeId, status, time, firstLine(reason), collectionError);
    }

    private boolean isFile(String relative) {
        return Files.isRegularFile(workingDirectory.resolve(relative));
    }

    private boolean isDirectory(String relative) {
        return Files.isDirectory(workingDirectory.resolve(relative));
    }

    private static String attribute(XMLStreamReader xml, String name) {
        String value = xml.getAttributeValue(null, name);
        return value == null ? "" : value;
    }

    private static double parseTime(String text) {
        try {
            return text.isEmpty() ? 0 : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
