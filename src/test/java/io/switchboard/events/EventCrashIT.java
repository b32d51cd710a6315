package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Nothing lost, even to {@code kill -9}: Switchboard runs as a separate process (the packaged jar) on an H2 file
 * database, reading an SQS server and delivering to HTTP sinks that both live in this test, so that they survive
 * it. It is killed with SIGKILL while events stream through, started again, and must deliver every event to every
 * sink (a repeat only with the same X-Event-Id). Finally SIGTERM must stop it within 30 seconds, leaving nothing
 * undelivered.
 */
class EventCrashIT {

    static final int INTERACTIONS = 30;
    static final int EVENTS_PER_INTERACTION = 100;
    static final String QUEUE = "crash-events";
    static final ObjectMapper JSON = new ObjectMapper();

    static SQSRestServer sqsServer;
    static SqsClient sqs;
    static String sqsEndpoint;
    static String queueUrl;
    static RecordingSinks sinks;

    @TempDir
    Path work;

    Process switchboard;

    @BeforeAll
    static void sqsAndSinks() {
        sqsServer = LiveSwitchboard.startSqs();
        sqsEndpoint = LiveSwitchboard.endpoint(sqsServer);
        sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
        String dlqUrl = sqs.createQueue(b -> b.queueName(QUEUE + "-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        queueUrl = sqs.createQueue(b -> b.queueName(QUEUE).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"maxReceiveCount\":\"10\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}"))).queueUrl();
        sqs.createQueue(b -> b.queueName("switchboard-email-retry")); // the email workflow's consumer reads it
        sinks = new RecordingSinks();
    }

    @AfterAll
    static void stopServers() {
        sinks.stop();
        sqs.close();
        sqsServer.stopAndWait();
    }

    @AfterEach
    void noOrphans() throws InterruptedException {
        LiveSwitchboard.kill(switchboard);
    }

    @Test
    void should_lose_no_event_when_killed_with_sigkill_mid_stream_and_drain_on_sigterm() throws Exception {
        Map<String, String> interactionOf = new HashMap<>();
        List<String> bodies = new ArrayList<>();
        List<String> interactions = new ArrayList<>();
        for (int i = 0; i < INTERACTIONS; i++) {
            interactions.add(UUID.randomUUID().toString());
        }
        for (int k = 1; k <= EVENTS_PER_INTERACTION; k++) {
            for (String interaction : interactions) {
                String id = UUID.randomUUID().toString();
                interactionOf.put(id, interaction);
                bodies.add(event(id, interaction, k));
            }
        }
        int port = LiveSwitchboard.freePort();
        Path database = work.resolve("switchboard");

        switchboard = start(port, database, "run-1");
        awaitUp(port);
        publish(bodies);
        // kill it mid-stream: about a third of the deliveries made, events still queued, recorded and in flight
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> sinks.requests().size() >= bodies.size());
        switchboard.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
        assertThat(switchboard.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int deliveredBeforeCrash = sinks.requests().size();

        switchboard = start(port, database, "run-2");
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(delivered(sink)).as("distinct events at %s", sink).hasSize(bodies.size());
            }
        });
        for (String sink : RecordingSinks.NAMES) {
            for (RecordingSinks.Request request : sinks.delivered(sink)) {
                assertThat(interactionOf).containsKey(request.eventId());
                assertThat(request.interactionId()).isEqualTo(interactionOf.get(request.eventId()));
            }
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> messages(queueUrl) == 0);
        String dlqUrl = sqs.getQueueUrl(b -> b.queueName(QUEUE + "-dlq")).queueUrl();
        assertThat(messages(dlqUrl)).isZero();

        // SIGTERM: gone within 30 s (the requirement itself), and nothing left undelivered in its store
        long stopping = System.nanoTime();
        switchboard.destroy();
        assertThat(switchboard.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopping);
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + database + ";MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE", "sa", "")) {
            assertThat(count(db, "SELECT COUNT(*) FROM events")).isEqualTo(bodies.size());
            assertThat(count(db, "SELECT COUNT(*) FROM event_deliveries WHERE state <> 'delivered'")).isZero();
        }
        int repeats = 0;
        for (String sink : RecordingSinks.NAMES) {
            repeats += sinks.delivered(sink).size() - delivered(sink).size();
        }
        System.out.printf("Crash test: %d events x %d sinks; killed after %d deliveries; %d repeated deliveries "
                        + "(same X-Event-Id) after the restart; SIGTERM to exit took %d ms%n", bodies.size(),
                RecordingSinks.NAMES.size(), deliveredBeforeCrash, repeats, stopTook.toMillis());
    }

    Process start(int port, Path database, String run) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                LiveSwitchboard.java(),
                "-Xmx512m",
                "-jar", LiveSwitchboard.jar().toAbsolutePath().toString(),
                "--server.port=" + port,
                "--switchboard.sandbox.embedded-sqs=false",
                "--switchboard.sandbox.simulate-upstreams=false",
                "--switchboard.api-keys=crash:crash-test-key",
                "--aws.endpoint=" + sqsEndpoint,
                "--aws.access-key-id=x",
                "--aws.secret-access-key=x",
                "--spring.datasource.url=jdbc:h2:file:" + database
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--events.queue=" + QUEUE,
                "--events.visibility-timeout=5",
                "--events.resequence-window=PT0.5S",
                "--events.node-id=crash-test",
                "--events.sink-initial-delay=PT0.1S",
                "--events.sink-max-delay=PT1S"));
        for (String sink : RecordingSinks.NAMES) {
            command.add("--events.sinks." + sink + "=" + sinks.url(sink));
        }
        Path log = Path.of("target", "crash-it-" + run + ".log");
        return new ProcessBuilder(command)
                .directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    void awaitUp(int port) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            assertThat(switchboard.isAlive()).as("Switchboard exited; see target/crash-it-*.log").isTrue();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200;
        });
    }

    static Set<String> delivered(String sink) {
        Set<String> ids = new LinkedHashSet<>();
        sinks.delivered(sink).forEach(r -> ids.add(r.eventId()));
        return ids;
    }

    static void publish(List<String> bodies) {
        for (int i = 0; i < bodies.size(); i += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int j = i; j < Math.min(i + 10, bodies.size()); j++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(bodies.get(j)).build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }
    }

    static int messages(String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    static long count(Connection db, String sql) throws Exception {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
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
}
