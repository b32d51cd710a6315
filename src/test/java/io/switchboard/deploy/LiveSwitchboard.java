package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * One Switchboard process in profile {@code live}, configured the way a container is: environment variables
 * only, no arguments, started in a directory of its own (empty unless a test puts files there). The upstreams,
 * SQS and the database are the test's (WireMock, ElasticMQ, H2 in PostgreSQL mode).
 *
 * <p>Its static helpers serve every test that runs the packaged jar as a process (the crash and cluster tests
 * too): the jar, the test JVM's java, free ports, an embedded SQS server, SIGKILL, a PostgreSQL schema dropped.
 */
public final class LiveSwitchboard implements AutoCloseable {

    final String name;
    final int apiPort;
    final int managementPort;
    final Path directory;
    final Map<String, String> env = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    /**
     * @param upstreams base URL standing in for CXone, Genesys Cloud and the sinks (WireMock)
     * @param sqs       SQS endpoint (ElasticMQ)
     */
    LiveSwitchboard(String name, Path directory, String upstreams, String sqs) throws IOException {
        this.name = name;
        this.directory = directory;
        this.apiPort = freePort();
        this.managementPort = freePort();
        env.put("SPRING_PROFILES_ACTIVE", "live");
        env.put("SERVER_PORT", Integer.toString(apiPort));
        env.put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
        env.put("SWITCHBOARD_API_KEYS", "deploy:deploy-test-key");
        env.put("SPRING_DATASOURCE_URL", "jdbc:h2:mem:" + name
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        env.put("SPRING_DATASOURCE_PASSWORD", "");
        env.put("CXONE_BASE_URL", upstreams + "/cxone");
        env.put("CXONE_TOKEN_URL", upstreams + "/cxone/oauth/token");
        env.put("CXONE_CLIENT_ID", "deploy-cxone");
        env.put("CXONE_CLIENT_SECRET", "deploy-cxone-secret");
        env.put("GENESYS_BASE_URL", upstreams + "/genesys");
        env.put("GENESYS_TOKEN_URL", upstreams + "/genesys/oauth/token");
        env.put("GENESYS_CLIENT_ID", "deploy-genesys");
        env.put("GENESYS_CLIENT_SECRET", "deploy-genesys-secret");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT", sqs);
        env.put("AWS_ACCESS_KEY_ID", "deploy");                 // the AWS SDK's default credential chain
        env.put("AWS_SECRET_ACCESS_KEY", "deploy");
        env.put("EVENTS_NODE_ID", name);
        env.put("EVENTS_RESEQUENCE_WINDOW", "PT0.2S");
        env.put("EMAIL_REPORTS_INITIAL_DELAY", "PT1000H");      // a test that wants the report poll sets its own
        for (String sink : List.of("analytics", "crm", "dashboard")) {
            env.put("EVENTS_SINKS_" + sink.toUpperCase(), upstreams + "/sinks/" + sink);
        }
    }

    /** Starts the packaged jar with the test JVM's java, from {@link #directory}. */
    LiveSwitchboard startJar(Path jar) throws IOException {
        return start(List.of(java(), "-Xmx384m",
                "-jar", jar.toAbsolutePath().toString()));
    }

    LiveSwitchboard start(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log().toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("SWITCHBOARD_")
                || key.startsWith("AWS_") || key.startsWith("KUBERNETES_"));
        builder.environment().putAll(env);
        process = builder.start();
        return this;
    }

    Path log() {
        return Path.of("target", "deploy-it-" + name + ".log").toAbsolutePath();
    }

    /** Waits until the readiness probe on the management port answers 200 (about 20 s; more on a busy machine). */
    LiveSwitchboard awaitReady() {
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .failFast("Switchboard " + name + " exited; see " + log(), () -> !process.isAlive())
                .until(() -> get(managementPort, "/actuator/health/readiness").statusCode() == 200);
        return this;
    }

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as Kubernetes stops a pod; waits for the exit. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy); // a wrapped command (chroot): Switchboard itself
            process.destroy();
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public static Path jar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("switchboard-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "target/switchboard-*.jar is missing: run mvn verify (package comes first)"));
        }
    }

    /** The java of the test JVM, to start the jar with. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** An embedded SQS server (ElasticMQ) on a free port of 127.0.0.1; see {@link #endpoint}. */
    public static SQSRestServer startSqs() {
        return SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
    }

    /** The endpoint of {@code sqs}, once it listens. */
    public static String endpoint(SQSRestServer sqs) {
        return "http://127.0.0.1:" + sqs.waitUntilStarted().localAddress().getPort();
    }

    /** SIGKILL on Linux (no shutdown hook, no flush) unless it is gone already; waits for the exit. */
    public static void kill(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Drops {@code schema} (and all in it) from the PostgreSQL database at {@code url}. */
    public static void dropSchema(String url, String user, String password, String schema) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, password)) {
            db.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static List<String> with(List<String> list, String... more) {
        List<String> all = new ArrayList<>(list);
        all.addAll(List.of(more));
        return all;
    }
}
