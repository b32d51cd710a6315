package io.switchboard.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.deploy.LiveSwitchboard;
import io.switchboard.events.RecordingSinks;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Two Switchboard processes (the packaged jar) on one PostgreSQL schema and one SQS server, clustered with the
 * file lock service: the events of one standard queue are split across both (each interaction's events recorded by
 * both instances) and reach each sink once, in each interaction's order; exactly one instance
 * polls the CXone delivery reports (each instance has its own report stub, so the polls are counted per
 * instance); after {@code kill -9} of the poller the other takes the polling over. Runs when
 * {@code -Dswitchboard.test.postgres-url} names a database; otherwise skipped, saying so.
 */
class TwoInstancesIT {

    static final String URL = System.getProperty("switchboard.test.postgres-url", "");
    static final String USER = System.getProperty("switchboard.test.postgres-user", "postgres");
    static final String PASSWORD = System.getProperty("switchboard.test.postgres-password", "");
    static final String QUEUE = "cluster-events";
    static final int INTERACTIONS = 50;
    static final int EVENTS_PER_INTERACTION = 10;
    static final Duration WINDOW = Duration.ofMillis(500); // events.resequence-window below
    static final ObjectMapper JSON = new ObjectMapper();

    final String schema = "switchboard_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @TempDir
    Path locks;

    SQSRestServer sqsServer;
    SqsClient sqs;
    String sqsEndpoint;
    String queueUrl;
    RecordingSinks sinks;
    final List<Process> processes = new ArrayList<>();
    final List<ReportStub> stubs = new ArrayList<>();

    @BeforeEach
    void servers() {
        Assumptions.assumeFalse(URL.isBlank(),
                "PostgreSQL not configured: set -Dswitchboard.test.postgres-url=jdbc:postgresql://host:5432/db to run this test");
        sqsServer = LiveSwitchboard.startSqs();
        sqsEndpoint = LiveSwitchboard.endpoint(sqsServer);
        sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
        queueUrl = sqs.createQueue(b -> b.queueName(QUEUE)).queueUrl();
        sqs.createQueue(b -> b.queueName("switchboard-email-retry"));
        sinks = new RecordingSinks();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            LiveSwitchboard.kill(process);
        }
        stubs.forEach(ReportStub::stop);
        if (sinks != null) {
            sinks.stop();
            sqs.close();
            sqsServer.stopAndWait();
        }
        if (!URL.isBlank()) {
            LiveSwitchboard.dropSchema(URL, USER, PASSWORD, schema);
        }
    }

    @Test
    void should_share_events_deliver_each_once_poll_on_one_instance_and_fail_over_when_it_is_killed() throws Exception {
        ReportStub reportsA = new ReportStub();
        ReportStub reportsB = new ReportStub();
        stubs.addAll(List.of(reportsA, reportsB));
        int portA = LiveSwitchboard.freePort();
        int portB = LiveSwitchboard.freePort();
        Process a = start("a", portA, reportsA);
        awaitUp(a, portA); // the first one migrates the schema alone; the second then starts beside it
        Process b = start("b", portB, reportsB);
        awaitUp(b, portB);

        // interleaved, so that both instances receive events of every interaction
        List<String> interactions = new ArrayList<>();
        for (int i = 0; i < INTERACTIONS; i++) {
            interactions.add(UUID.randomUUID().toString());
        }
        List<String> bodies = new ArrayList<>();
        Map<String, Long> sequenceOf = new HashMap<>();
        for (int k = 1; k <= EVENTS_PER_INTERACTION; k++) {
            for (String interaction : interactions) {
                String id = UUID.randomUUID().toString();
                sequenceOf.put(id, (long) k);
                bodies.add(event(id, interaction, k));
            }
        }
        publish(bodies);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(distinct(sink)).as("distinct events at %s", sink).hasSize(bodies.size());
            }
        });
        for (String sink : RecordingSinks.NAMES) {
            assertThat(sinks.delivered(sink)).as("deliveries to %s (each event once)", sink).hasSize(bodies.size());
        }
        Map<String, Long> byNode = recordedByNode();
        assertThat(byNode).as("events recorded per instance").containsOnlyKeys("node-a", "node-b");
        assertThat(byNode.values()).allMatch(count -> count > 0);
        long sharedInteractions = interactionsRecordedByBoth();
        assertThat(sharedInteractions).as("interactions whose events both instances recorded").isPositive();
        int late = 0;
        Map<String, Instant> recordedAt = recordedAt();
        for (String sink : RecordingSinks.NAMES) {
            late += sinks.assertInOrderBarLateOnes(sink, sequenceOf, recordedAt, WINDOW);
        }

        // exactly one instance polls: the leader's count grows while the follower's stays 0
        await().atMost(Duration.ofMinutes(1)).until(() -> reportsA.polls.get() + reportsB.polls.get() > 0);
        ReportStub leaderStub = reportsA.polls.get() > 0 ? reportsA : reportsB;
        ReportStub followerStub = leaderStub == reportsA ? reportsB : reportsA;
        int seen = leaderStub.polls.get();
        await().atMost(Duration.ofMinutes(1)).until(() -> leaderStub.polls.get() >= seen + 3);
        assertThat(followerStub.polls.get()).as("polls by the follower while the leader lives").isZero();

        Process leader = leaderStub == reportsA ? a : b;
        long killed = System.nanoTime();
        leader.destroyForcibly(); // SIGKILL
        assertThat(leader.waitFor(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> followerStub.polls.get() > 0);
        long failoverMs = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        System.out.printf("Two instances: %d events x %d sinks, recorded per instance %s (%d interactions by both), each"
                        + " delivered once and in order (%d late: recorded more than the window after a later one that went); leader polled %d times"
                        + " alone; after kill -9 the other polled %d ms later%n", bodies.size(),
                RecordingSinks.NAMES.size(), byNode, sharedInteractions, late, leaderStub.polls.get(), failoverMs);
    }

    Process start(String name, int port, ReportStub reports) throws IOException {
        String datasource = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        List<String> command = new ArrayList<>(List.of(
                LiveSwitchboard.java(),
                "-Xmx384m",
                "-jar", LiveSwitchboard.jar().toAbsolutePath().toString(),
                "--server.port=" + port,
                "--switchboard.sandbox.embedded-sqs=false",
                "--switchboard.sandbox.simulate-upstreams=false",
                "--switchboard.api-keys=cluster:cluster-test-key",
                "--aws.endpoint=" + sqsEndpoint,
                "--aws.access-key-id=x",
                "--aws.secret-access-key=x",
                "--spring.datasource.url=" + datasource,
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + PASSWORD,
                "--spring.flyway.schemas=" + schema,
                "--spring.flyway.create-schemas=true",
                "--cxone.base-url=" + reports.url(),
                "--cxone.token-url=" + reports.url() + "/oauth/token",
                "--cxone.client-id=x",
                "--cxone.client-secret=x",
                "--email.reports.poll-period=PT0.5S",
                "--email.reports.initial-delay=PT0S",
                "--switchboard.cluster.enabled=true",
                "--switchboard.cluster.service=file",
                "--switchboard.cluster.file.root=" + locks,
                "--switchboard.cluster.file.acquire-lock-interval=PT1S",
                "--events.queue=" + QUEUE,
                "--events.node-id=node-" + name,
                "--events.resequence-window=PT0.5S",
                "--events.sink-initial-delay=PT0.1S",
                "--events.sink-max-delay=PT1S"));
        for (String sink : RecordingSinks.NAMES) {
            command.add("--events.sinks." + sink + "=" + sinks.url(sink));
        }
        Process process = new ProcessBuilder(command)
                .directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "cluster-it-" + name + ".log").toFile())
                .start();
        processes.add(process);
        return process;
    }

    static void awaitUp(Process process, int port) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            assertThat(process.isAlive()).as("Switchboard exited; see target/cluster-it-*.log").isTrue();
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        });
    }

    Set<String> distinct(String sink) {
        Set<String> ids = new LinkedHashSet<>();
        sinks.delivered(sink).forEach(r -> ids.add(r.eventId()));
        return ids;
    }

    Map<String, Instant> recordedAt() throws Exception {
        Map<String, Instant> recorded = new HashMap<>();
        try (Connection db = DriverManager.getConnection(URL, USER, PASSWORD);
                ResultSet rows = db.createStatement().executeQuery(
                        "SELECT event_id, received_at FROM " + schema + ".events")) {
            while (rows.next()) {
                recorded.put(rows.getString(1), rows.getObject(2, java.time.OffsetDateTime.class).toInstant());
            }
        }
        return recorded;
    }

    long interactionsRecordedByBoth() throws Exception {
        try (Connection db = DriverManager.getConnection(URL, USER, PASSWORD);
                ResultSet rows = db.createStatement().executeQuery("SELECT COUNT(*) FROM (SELECT interaction_id FROM "
                        + schema + ".events GROUP BY interaction_id HAVING COUNT(DISTINCT node) = 2) shared")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    Map<String, Long> recordedByNode() throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection db = DriverManager.getConnection(URL, USER, PASSWORD);
                ResultSet rows = db.createStatement().executeQuery(
                        "SELECT node, COUNT(*) FROM " + schema + ".events GROUP BY node")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    void publish(List<String> bodies) {
        for (int i = 0; i < bodies.size(); i += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int j = i; j < Math.min(i + 10, bodies.size()); j++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(bodies.get(j)).build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }
    }

    static String event(String id, String interaction, int sequence) throws Exception {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", "Interaction.Lifecycle.StageChanged");
        event.put("source", "com.nice.cxone.interactions");
        event.put("time", "2025-01-15T10:00:00Z");
        event.put("region", "us-east-1");
        ObjectNode detail = event.putObject("detail");
        detail.put("interaction.id", interaction);
        detail.put("stage", "Connected");
        detail.put("sequence", sequence);
        return JSON.writeValueAsString(event);
    }

    /** One instance's CXone: an OAuth2 token and an empty delivery-report page, counting the report requests. */
    static final class ReportStub {
        final AtomicInteger polls = new AtomicInteger();
        final HttpServer server;

        ReportStub() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.createContext("/oauth/token", exchange -> answer(exchange,
                    "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
            server.createContext("/api/v1/email/delivery/reports", exchange -> {
                polls.incrementAndGet();
                answer(exchange, "{\"items\":[],\"pageSize\":0,\"totalCount\":0}");
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void stop() {
            server.stop(0);
        }

        private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }
    }
}
