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
 * instances. The other instance is played here by rows in the shared store: an instance "other-node" that is alive
 * and still has an event of the interaction to deliver.
 */
@TestPropertySource(properties = {
        "events.queue=switchboard-events-test.fifo",
        "events.node-timeout=PT3S"
})
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
    void should_leave_the_next_event_to_the_instance_that_still_delivers_the_interaction() {
        String interaction = newId("shared");
        heartbeat(OTHER, OffsetDateTime.now(ZoneOffset.UTC));
        String first = newId("recorded-by-the-other-instance");
        long firstPk = recordAsOther(first, interaction);
        String second = newId("recorded-here");

        send(interaction, second, json(cxoneEvent(second, interaction, "Connected", 2)));

        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM events WHERE event_id = :id AND node = :other")
                .param("id", second).param("other", OTHER).query(Long.class).single() == 1);
        assertThat(SINKS.requests()).extracting(RecordingSinks.Request::eventId).doesNotContain(first, second);

        // the other instance goes silent: this one adopts both events and delivers them in the queue's order
        heartbeat(OTHER, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(deliveredOf(sink, interaction)).containsExactly(first, second);
            }
        });
        assertThat(firstPk).isPositive();
    }

    private void send(String interaction, String dedup, String body) {
        fifo.sendMessage(b -> b.queueUrl(fifoUrl).messageBody(body).messageGroupId(interaction)
                .messageDeduplicationId(dedup.length() > 128 ? dedup.substring(0, 128) : dedup));
    }

    private List<String> deliveredOf(String sink, String interaction) {
        return SINKS.delivered(sink).stream().filter(r -> interaction.equals(r.interactionId()))
                .map(RecordingSinks.Request::eventId).toList();
    }

    private void heartbeat(String node, OffsetDateTime at) {
        int updated = jdbc.sql("UPDATE event_nodes SET last_seen = :at WHERE node = :node")
                .param("at", at).param("node", node).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO event_nodes (node, last_seen) VALUES (:node, :at)")
                    .param("node", node).param("at", at).update();
        }
    }

    /** What the other instance would have recorded: the event and a pending delivery per sink, owned by it. */
    private long recordAsOther(String eventId, String interaction) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.sql("""
                INSERT INTO events (event_id, interaction_id, source, detail_type, order_key, event_time, received_at,
                                    node, lane_key, envelope)
                VALUES (:id, :interaction, 'com.nice.cxone.interactions', 'Interaction.Lifecycle.StageChanged', 1,
                        :now, :now, :other, :lane, :envelope)""")
                .param("id", eventId).param("interaction", interaction).param("now", now).param("other", OTHER)
                .param("lane", RecordedEvent.laneKeyOf(interaction))
                .param("envelope", json(cxoneEvent(eventId, interaction, "Queued", 1)))
                .update();
        long pk = jdbc.sql("SELECT pk FROM events WHERE event_id = :id").param("id", eventId).query(Long.class).single();
        for (String sink : RecordingSinks.NAMES) {
            jdbc.sql("INSERT INTO event_deliveries (event_pk, sink, state, attempts, updated_at)"
                            + " VALUES (:pk, :sink, 'pending', 0, :now)")
                    .param("pk", pk).param("sink", sink).param("now", now).update();
        }
        return pk;
    }
}
