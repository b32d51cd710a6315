package io.switchboard.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The packaged Switchboard ({@code target/switchboard-*.jar}) as a separate process, the way it is deployed:
 * against the harness's SQS server and sinks, on an H2 file database that outlives the process, on the same port
 * and with the same node id from one start to the next, so a restart resumes what the killed one left behind.
 */
final class SwitchboardJar implements AutoCloseable {

    static final String API_KEY = "reliability-key";

    private final Path jar;
    private final List<String> jvmOptions;
    private final List<String> args;
    private final Path logDir;
    private final int port;
    private final String jdbcUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ChildJvm process;
    private int starts;

    SwitchboardJar(ReliabilitySettings settings, SqsServer sqs, SinkServers sinks, String queue) throws IOException {
        this.jar = findJar(settings.jar());
        this.jvmOptions = List.of("-Xmx" + settings.heap(), "-XX:+UseG1GC");
        this.logDir = settings.workDir();
        this.port = freePort();
        Path database = settings.workDir().toAbsolutePath().resolve("db-" + System.currentTimeMillis()).resolve("switchboard");
        this.jdbcUrl = "jdbc:h2:file:" + database + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        List<String> list = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--switchboard.sandbox.embedded-sqs=false",
                "--switchboard.sandbox.simulate-upstreams=false",
                "--switchboard.api-keys=reliability:" + API_KEY + ":admin",
                "--aws.endpoint=" + sqs.endpoint(),
                "--aws.access-key-id=" + SqsServer.ACCESS_KEY,
                "--aws.secret-access-key=" + SqsServer.ACCESS_KEY,
                "--spring.datasource.url=" + jdbcUrl,
                "--events.queue=" + queue,
                "--events.node-id=reliability",
                "--email.retry-queue=" + queue + "-email-retry",
                "--email.reports.initial-delay=PT1000H",
                "--cxone.base-url=http://127.0.0.1:9/cxone",
                "--genesys.base-url=http://127.0.0.1:9/genesys"));
        for (int s = 0; s < SinkServers.NAMES.size(); s++) {
            list.add("--events.sinks." + SinkServers.NAMES.get(s) + "=" + sinks.url(s));
        }
        list.addAll(settings.extraArgs());
        this.args = List.copyOf(list);
    }

    Path jar() {
        return jar;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    int port() {
        return port;
    }

    /** Starts it and waits until /actuator/health answers 200; returns how long that took. */
    Duration start() throws IOException, InterruptedException {
        long started = System.nanoTime();
        starts++;
        process = ChildJvm.startJar("switchboard-run-" + starts, jvmOptions, jar, args, logDir);
        long deadline = started + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Switchboard exited during start-up; see " + process.log());
            }
            if (healthy()) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Switchboard not healthy within 4 minutes; see " + process.log());
    }

    private boolean healthy() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGTERM; returns how long the process took to exit (it is killed after {@code limit} × 2). */
    Duration terminate(Duration limit) throws InterruptedException {
        return process.terminate(limit.multipliedBy(2));
    }

    int exitCode() {
        return process.process().exitValue();
    }

    /** GET on Switchboard's API with the run's key. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-API-Key", API_KEY).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** POST without a body on Switchboard's API with the run's key; returns the answer (2xx, else it throws). */
    String post(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-API-Key", API_KEY).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.terminate(Duration.ofSeconds(60));
        }
    }

    static Path findJar(String configured) throws IOException {
        if (configured != null) {
            return Path.of(configured);
        }
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("switchboard-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "target/switchboard-*.jar is missing: run mvn -Preliability verify (it packages first)"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
