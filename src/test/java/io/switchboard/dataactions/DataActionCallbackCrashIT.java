package io.switchboard.dataactions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.switchboard.deploy.LiveSwitchboard;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A {@code data_action.created} callback survives {@code kill -9}: Switchboard runs as a separate process (the
 * packaged jar), CXone's Data Actions API is a WireMock stub and the webhook a receiver in this test, so both
 * outlive the process (and an SQS server, as the jar's event and email-retry consumers need their queues). The create succeeds while the webhook answers 503; once the callback was tried (so it is
 * recorded, claimed and in its backoff, not delivered), the process is killed with SIGKILL. The outbox row must
 * still be in the database next to the create's audit record; Switchboard started again, with the webhook
 * healthy, must deliver that callback, with the same body and {@code X-Correlation-ID}, exactly once.
 *
 * <p>Without the outbox (the callback on an in-memory queue only) the callback dies with the process: the
 * database holds no row, the restarted Switchboard has nothing to send, and the receiver waits in vain.
 *
 * <p>Runs on an H2 file database in a temporary directory, or on a fresh schema of the PostgreSQL database named
 * by {@code -Dswitchboard.test.postgres-url} (dropped afterwards).
 */
class DataActionCallbackCrashIT {

    static final String POSTGRES = System.getProperty("switchboard.test.postgres-url", "");
    static final String POSTGRES_USER = System.getProperty("switchboard.test.postgres-user", "postgres");
    static final String POSTGRES_PASSWORD = System.getProperty("switchboard.test.postgres-password", "");
    static final String API_KEY = "crash-test-key";
    static final String CORRELATION_ID = "cid-kill-9";
    static final String QUEUE = "callback-crash-events";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    final String schema = "switchboard_callback_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    SQSRestServer sqsServer;
    String sqsEndpoint;
    WireMockServer cxone;
    WebhookReceiver webhook;
    Process switchboard;

    @BeforeEach
    void upstreams() {
        sqsServer = LiveSwitchboard.startSqs();
        sqsEndpoint = LiveSwitchboard.endpoint(sqsServer);
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
            sqs.createQueue(b -> b.queueName(QUEUE));
            sqs.createQueue(b -> b.queueName("switchboard-email-retry"));
        }
        cxone = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        cxone.start();
        cxone.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        cxone.stubFor(post(urlPathEqualTo("/api/v2/data-actions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(DataActionsCreateTest.CREATED)));
        webhook = new WebhookReceiver();
    }

    @AfterEach
    void stop() throws Exception {
        LiveSwitchboard.kill(switchboard);
        cxone.stop();
        webhook.stopServer();
        sqsServer.stopAndWait();
        if (!POSTGRES.isBlank()) {
            LiveSwitchboard.dropSchema(POSTGRES, POSTGRES_USER, POSTGRES_PASSWORD, schema);
        }
    }

    @Test
    void should_deliver_a_callback_recorded_before_a_kill_9_after_the_restart_once() throws Exception {
        int port = LiveSwitchboard.freePort();
        webhook.answer(503); // the callback is recorded and tried, but not delivered
        long began = System.nanoTime();

        switchboard = start(port, "run-1");
        awaitUp(port);
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/data-actions"))
                .header("X-API-Key", API_KEY).header("Content-Type", "application/json")
                .header("X-Correlation-ID", CORRELATION_ID)
                .POST(HttpRequest.BodyPublishers.ofString(DataActionsCreateTest.VALID)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        cxone.verify(1, postRequestedFor(urlPathEqualTo("/api/v2/data-actions")));
        await().atMost(Duration.ofSeconds(30)).until(() -> !webhook.received().isEmpty());
        WebhookReceiver.Received refused = webhook.received().get(0);

        switchboard.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
        assertThat(switchboard.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (Connection db = database()) {
            assertThat(count(db, "SELECT COUNT(*) FROM data_action_callbacks WHERE correlation_id = '"
                    + CORRELATION_ID + "'")).as("the callback waiting in the outbox after kill -9").isEqualTo(1);
            assertThat(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'data-action.create' AND outcome = "
                    + "'success' AND correlation_id = '" + CORRELATION_ID + "'")).as("the create's audit record").isEqualTo(1);
        }
        webhook.reset(); // healthy from now on (answers 204), nothing received yet
        long killed = System.nanoTime();

        switchboard = start(port, "run-2");
        // the dead instance's claim (data-actions.callback.claim-timeout) expires, the callback goes out and
        // leaves the outbox (the delivered counter rises right after the row is deleted)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .failFast("Switchboard exited; see target/callback-crash-it-run-2.log", () -> !switchboard.isAlive())
                .until(() -> delivered(port) >= 1);
        long deliveredAfterKill = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        assertThat(webhook.received()).as("callbacks received after the restart").hasSize(1);
        WebhookReceiver.Received callback = webhook.received().get(0);
        assertThat(callback.method()).isEqualTo("POST");
        assertThat(callback.correlationId()).isEqualTo(CORRELATION_ID);
        assertThat(callback.body()).isEqualTo(refused.body()); // the very callback recorded before the kill
        JsonNode event = JSON.readTree(callback.body());
        assertThat(event.path("event").asText()).isEqualTo("data_action.created");
        assertThat(event.path("correlation_id").asText()).isEqualTo(CORRELATION_ID);
        assertThat(event.path("status").asInt()).isEqualTo(201);

        // stopped with SIGTERM: the outbox is empty and nothing else was sent
        switchboard.destroy();
        assertThat(switchboard.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
        try (Connection db = database()) {
            assertThat(count(db, "SELECT COUNT(*) FROM data_action_callbacks")).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM dead_letters")).isZero();
        }
        assertThat(webhook.received()).as("deliveries after the restart (exactly once)").hasSize(1);
        System.out.printf("Callback crash test (%s): delivered %d ms after kill -9 (restart included); %d s in all%n",
                POSTGRES.isBlank() ? "H2" : "PostgreSQL", deliveredAfterKill,
                Duration.ofNanos(System.nanoTime() - began).toSeconds());
    }

    Process start(int port, String run) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                LiveSwitchboard.java(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1", // a short run: C1 only starts the jar sooner on a busy machine
                "-jar", LiveSwitchboard.jar().toAbsolutePath().toString(),
                "--server.port=" + port,
                "--switchboard.sandbox.embedded-sqs=false",
                "--switchboard.sandbox.simulate-upstreams=false",
                "--switchboard.api-keys=crash:" + API_KEY,
                "--aws.endpoint=" + sqsEndpoint,
                "--aws.access-key-id=x",
                "--aws.secret-access-key=x",
                "--events.queue=" + QUEUE,
                "--cxone.base-url=" + cxone.baseUrl(),
                "--cxone.token-url=" + cxone.baseUrl() + "/oauth/token",
                "--cxone.client-id=x",
                "--cxone.client-secret=x",
                "--email.reports.initial-delay=PT1H",
                "--data-actions.webhook-url=" + webhook.url(),
                "--data-actions.callback.max-attempts=1000", // never a dead letter while the webhook refuses
                "--data-actions.callback.initial-delay=PT0.2S",
                "--data-actions.callback.max-delay=PT0.5S",
                "--data-actions.callback.poll-period=PT0.2S",
                // the killed instance's claim expires this long after it was taken (the run is killed well before)
                "--data-actions.callback.claim-timeout=PT5S"));
        if (POSTGRES.isBlank()) {
            command.add("--spring.datasource.url=" + h2Url());
        } else {
            command.addAll(List.of(
                    "--spring.datasource.url=" + POSTGRES + (POSTGRES.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                    "--spring.datasource.username=" + POSTGRES_USER,
                    "--spring.datasource.password=" + POSTGRES_PASSWORD,
                    "--spring.flyway.schemas=" + schema,
                    "--spring.flyway.create-schemas=true"));
        }
        return new ProcessBuilder(command)
                .directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "callback-crash-it-" + run + ".log").toFile())
                .start();
    }

    String h2Url() {
        return "jdbc:h2:file:" + work.resolve("switchboard") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH";
    }

    /** The database Switchboard ran on (H2: only while no Switchboard holds it open). */
    Connection database() throws Exception {
        if (POSTGRES.isBlank()) {
            return DriverManager.getConnection(h2Url(), "sa", "");
        }
        Connection db = DriverManager.getConnection(POSTGRES, POSTGRES_USER, POSTGRES_PASSWORD);
        db.setSchema(schema);
        return db;
    }

    /** Callbacks this Switchboard delivered (counter switchboard.data-actions.callbacks, outcome delivered). */
    static double delivered(int port) throws Exception {
        HttpResponse<String> metric = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/actuator/metrics/switchboard.data-actions.callbacks?tag=outcome:delivered"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (metric.statusCode() != 200) {
            return 0; // not started yet, or no callback counted yet
        }
        return JSON.readTree(metric.body()).path("measurements").path(0).path("value").asDouble();
    }

    void awaitUp(int port) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast("Switchboard exited; see target/callback-crash-it-*.log", () -> !switchboard.isAlive())
                .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    static long count(Connection db, String sql) throws Exception {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
