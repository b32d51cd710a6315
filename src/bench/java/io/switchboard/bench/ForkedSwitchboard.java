package io.switchboard.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A Switchboard in its own JVM ({@link BenchedSwitchboard}, started with the heap the benchmark prescribes),
 * controlled over its loopback control port. Its CPU time is read from the operating system.
 */
final class ForkedSwitchboard implements SwitchboardControl {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofMinutes(4);

    private final ChildJvm jvm;
    private final String control;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ForkedSwitchboard(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.control = "http://127.0.0.1:" + port;
    }

    /** {@code flightRecording}: a JFR profile of the whole run, written to {@code <logDir>/<name>.jfr} at exit. */
    static ForkedSwitchboard start(String name, String heap, List<String> settings, Path logDir, boolean flightRecording)
            throws IOException, InterruptedException {
        List<String> options = new java.util.ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseG1GC"));
        if (flightRecording) {
            options.add("-XX:StartFlightRecording=settings=profile,filename="
                    + logDir.toAbsolutePath().resolve(name + ".jfr"));
        }
        ChildJvm jvm = ChildJvm.startClass(name, options, BenchedSwitchboard.class.getName(), settings, logDir);
        try {
            int port = Integer.parseInt(jvm.await("CONTROL ", STARTUP));
            return new ForkedSwitchboard(jvm, port);
        } catch (RuntimeException | InterruptedException e) {
            jvm.kill();
            throw e;
        }
    }

    ChildJvm jvm() {
        return jvm;
    }

    @Override
    public Set<String> routes() {
        return JSON.convertValue(call("/routes"), new TypeReference<Set<String>>() { });
    }

    @Override
    public void startRoute(String routeId) {
        call("/route/start?id=" + encode(routeId));
    }

    @Override
    public void stopRoute(String routeId) {
        call("/route/stop?id=" + encode(routeId));
    }

    @Override
    public long liveHeapAfterGc() {
        return call("/gc").path("live").asLong();
    }

    @Override
    public void resetHeapPeaks() {
        call("/heap/reset");
    }

    @Override
    public HeapPeaks heapPeaks() {
        return JSON.convertValue(call("/heap"), HeapPeaks.class);
    }

    @Override
    public Duration cpu() {
        return jvm.cpu();
    }

    @Override
    public Duration request(String uri) {
        return Duration.ofNanos(call("/request?uri=" + encode(uri)).path("nanos").asLong());
    }

    @Override
    public List<CallOutcome> burst(String path, int calls) {
        return JSON.convertValue(call("/burst?path=" + encode(path) + "&calls=" + calls),
                new TypeReference<List<CallOutcome>>() { });
    }

    @Override
    public Duration stop() {
        try {
            return jvm.terminate(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Duration.ZERO;
        }
    }

    private JsonNode call(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(control + pathAndQuery))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Switchboard control " + pathAndQuery + ": " + body.path("error").asText()
                        + " (see " + jvm.log() + ")");
            }
            return body;
        } catch (IOException e) {
            throw new IllegalStateException("Switchboard control " + pathAndQuery + " failed (see " + jvm.log() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
