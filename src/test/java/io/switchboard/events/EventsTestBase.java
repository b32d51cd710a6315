package io.switchboard.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.deadletter.DeadLetter;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.test.IntegrationTestBase;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The event pipeline in one JVM: the whole service with its embedded SQS server, and three HTTP sinks
 * ({@link RecordingSinks}) standing in for analytics, CRM and dashboard. Every event test class extends this
 * and so shares one application context. Tests use fresh interaction ids, so they do not see each other's events.
 */
@TestPropertySource(properties = {
        "events.resequence-window=PT2S",
        "events.sink-max-attempts=4",
        "events.sink-initial-delay=PT0.05S",
        "events.sink-max-delay=PT0.4S",
        "events.consumers=4",
        "events.node-id=test-node"
})
public abstract class EventsTestBase extends IntegrationTestBase {

    protected static final RecordingSinks SINKS = new RecordingSinks();
    protected static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void sinks(DynamicPropertyRegistry registry) {
        for (String sink : RecordingSinks.NAMES) {
            registry.add("events.sinks." + sink, () -> SINKS.url(sink) + "?responseTimeout=5000");
        }
    }

    @Autowired
    protected DeadLetters deadLetters;

    @Autowired
    protected MeterRegistry meters;

    @Autowired
    protected JdbcClient jdbc;

    @Value("${aws.endpoint}")
    private String sqsEndpoint;

    @Value("${events.queue}")
    private String queue;

    private SqsClient sqs;
    private String queueUrl;

    @BeforeEach
    void sinksAndQueue() {
        SINKS.reset();
        sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
        queueUrl = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }

    @AfterEach
    void closeSqs() {
        sqs.close();
    }

    /** Publishes the messages to the events queue, ten per SendMessageBatch call. */
    protected void publish(List<String> bodies) {
        for (int i = 0; i < bodies.size(); i += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int j = i; j < Math.min(i + 10, bodies.size()); j++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(bodies.get(j)).build());
            }
            var result = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!result.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused " + result.failed());
            }
        }
    }

    protected void publish(String... bodies) {
        publish(List.of(bodies));
    }

    /** Messages in the queue, visible or in flight. */
    protected int messagesInQueue() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** A CXone interaction event (config/schemas/event-envelope.json, docs/events.md). */
    protected static ObjectNode cxoneEvent(String id, String interactionId, String stage, Integer sequence) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", "Interaction.Lifecycle.StageChanged");
        event.put("source", "com.nice.cxone.interactions");
        event.put("account", "123456789012");
        event.put("time", "2025-01-15T10:00:00Z");
        event.put("region", "us-east-1");
        event.putArray("resources");
        ObjectNode detail = event.putObject("detail");
        detail.put("interaction.id", interactionId);
        detail.put("participant.id", "agent-7");
        detail.put("stage", stage);
        detail.put("state", "Active");
        detail.putObject("metadata").put("queue", "support");
        if (sequence != null) {
            detail.put("sequence", sequence);
        }
        return event;
    }

    protected static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    protected List<DeadLetter> deadLettersOf(String source) {
        return deadLetters.list(source, 500);
    }

    protected double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        if (counter != null) {
            return counter.count();
        }
        var functionCounter = meters.find(name).tags(tags).functionCounter();
        return functionCounter == null ? 0 : functionCounter.count();
    }

    protected static String json(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
