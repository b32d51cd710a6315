package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A FIFO events queue ({@code events.queue} ending in {@code .fifo}, MessageGroupId = interaction id): the queue's
 * order is the order every sink sees, also when consecutive events of one interaction are recorded by different
 * instances: each sink has one reader of the shared store, which takes an interaction's events in recording order.
 * The other instance is played here by rows in the store: what "other-node" recorded and has not delivered.
 */
@TestPropertySource(properties = "events.queue=switchboard-events-test.fifo")
class FifoOrderTest extends EventsTestBase {

    private static final String OTHER = "other-node";

    @Value("${aws.endpoint}")
    private String endpoint;

    private SqsClient fifo;
    private String fifoUrl;

    @BeforeEach
    void fifoQueue() {
        fifo = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
        fifoUrl = fifo.getQueueUrl(b -> b.queueName("switchboard-events-test.fifo")).queueUrl();
    }

    @AfterEach
    void closeFifo() {
        fifo.close();
    }

    @Test
    void should_deliver_an_interaction_in_the_queue_order() {
        String interaction = newId("fifo");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = newId("e" + i);
            ids.add(id);
            // sequences deliberately not in queue order: the queue's order is the one that counts
            send(interaction, id, json(cxoneEvent(id, interaction, "Offered", 100 - i)));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(deliveredOf(sink, interaction)).containsExactlyElementsOf(ids);
            }
        });
    }

    @Test
    void should_deliver_after_the_event_another_instance_recorded_before() {
        String interaction = newId("shared");
        String first = newId("recorded-by-the-other-instance");
        recordAsOther(first, interaction);
        String second = newId("recorded-here");

        send(interaction, second, json(cxoneEvent(second, interaction, "Connected", 2)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(deliveredOf(sink, interaction)).containsExactly(first, second);
            }
        });
    }

    private void send(String interaction, String dedup, String body) {
        fifo.sendMessage(b -> b.queueUrl(fifoUrl).messageBody(body).messageGroupId(interaction)
                .messageDeduplicationId(dedup.length() > 128 ? dedup.substring(0, 128) : dedup));
    }

    private List<String> deliveredOf(String sink, String interaction) {
        return SINKS.delivered(sink).stream().filter(r -> interaction.equals(r.interactionId()))
                .map(RecordingSinks.Request::eventId).toList();
    }

    /** What the other instance would have recorded: the event and a pending delivery per sink. */
    private void recordAsOther(String eventId, String interaction) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.sql("""
                INSERT INTO events (event_id, interaction_id, source, detail_type, order_key, event_time, received_at,
                                    node, envelope)
                VALUES (:id, :interaction, 'com.nice.cxone.interactions', 'Interaction.Lifecycle.StageChanged', 1,
                        :now, :now, :other, :envelope)""")
                .param("id", eventId).param("interaction", interaction).param("now", now).param("other", OTHER)
                .param("envelope", json(cxoneEvent(eventId, interaction, "Queued", 1)))
                .update();
        long pk = jdbc.sql("SELECT pk FROM events WHERE event_id = :id").param("id", eventId).query(Long.class).single();
        for (String sink : RecordingSinks.NAMES) {
            jdbc.sql("INSERT INTO event_deliveries (event_pk, sink, state, attempts, updated_at)"
                            + " VALUES (:pk, :sink, 'pending', 0, :now)")
                    .param("pk", pk).param("sink", sink).param("now", now).update();
        }
    }
}
