package io.bktec.api;

import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Uploads a result file to the Test Engine upload API ({@code POST /v1/uploads}, multipart) with bktec's fields.
 * bktec uploads JUnit only; bktec-java also uploads collector JSON (format "json"). Retried like bktec v2.9+
 * (5 s per attempt, 30 s in all); every failure is reported and ignored.
 */
public final class ResultUploader {
    private final HttpTransport transport;
    private final RetryingCaller caller;
    private final String url;
    private final String uploadToken;
    private final String userAgent;
    private final Consumer<String> debug;

    public ResultUploader(HttpTransport transport, RetryingCaller caller, String uploadBaseUrl, String uploadToken,
                          String userAgent, Consumer<String> debug) {
        this.transport = transport;
        this.caller = caller;
        this.url = uploadBaseUrl.replaceAll("/+$", "") + "/v1/uploads";
        this.uploadToken = uploadToken;
        this.userAgent = userAgent;
        this.debug = debug;
    }

    /** The form fields bktec sends besides the file, in a stable order. */
    public static Map<String, String> fields(String format, Map<String, String> env, String locationPrefix,
                                             String runner, String version, String workingDirectory,
                                             Map<String, String> tags) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("format", format);
        fields.put("run_env[CI]", "buildkite");
        fields.put("run_env[key]", env.getOrDefault("BUILDKITE_BUILD_ID", ""));
        fields.put("run_env[branch]", env.getOrDefault("BUILDKITE_BRANCH", ""));
        fields.put("run_env[commit_sha]", env.getOrDefault("BUILDKITE_COMMIT", ""));
        fields.put("run_env[number]", env.getOrDefault("BUILDKITE_BUILD_NUMBER", ""));
        fields.put("run_env[url]", env.getOrDefault("BUILDKITE_BUILD_URL", ""));
        fields.put("run_env[job_id]", env.getOrDefault("BUILDKITE_JOB_ID", ""));
        fields.put("run_env[message]", env.getOrDefault("BUILDKITE_MESSAGE", ""));
        fields.put("run_env[location_prefix]", locationPrefix);
        fields.put("run_env[collector]", "bktec");
        fields.put("run_env[test_runner]", runner);
        fields.put("run_env[version]", version);
        if (!env.getOrDefault("BUILDKITE_BUILD_ID", "").isEmpty()) {
            fields.put("run_env[cwd]", workingDirectory);
        }
        tags.forEach((k, v) -> fields.put("tags[" + k + "]", v));
        return fields;
    }

    public Mono<Void> upload(Path file, byte[] content, Map<String, String> fields) {
        String boundary = "bktec-" + UUID.randomUUID();
        byte[] body = multipart(boundary, fields, file.getFileName().toString(), content);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Token token=" + uploadToken);
        headers.put("User-Agent", userAgent);
        headers.put("Content-Type", "multipart/form-data; boundary=" + boundary);
        return caller.call("POST /v1/uploads", () -> transport.send("POST", url, headers, body))
                .flatMap(response -> {
                    if (response.status() < 200 || response.status() > 299) {
                        return Mono.error(new ApiException(ApiException.Kind.UNEXPECTED, response.status(),
                                "upload failed with status " + response.status() + ": " + PlanJson.message(response)));
                    }
                    debug.accept("uploaded " + file + ": HTTP " + response.status());
                    return Mono.<Void>empty();
                });
    }

    static byte[] multipart(String boundary, Map<String, String> fields, String fileName, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 2048);
        fields.forEach((name, value) -> write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n"));
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\""
                + fileName.replace("\"", "_") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        out.writeBytes(content);
        write(out, "\r\n--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
