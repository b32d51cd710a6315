package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the store alone carries: deliveries still pending (after a crash, or recorded by another instance) reach every
 * sink, in order; retention deletes only what is fully delivered.
 */
class EventRecoveryTest extends EventsTestBase {

    @Autowired
    EventRecorder recorder;

    @Autowired
    EventHousekeeping housekeeping;

    @Autowired
    TransactionTemplate transactions;

    /**
     * Records events straight into the store, newest first, in one transaction, as an earlier run (or another
     * instance) that died would have left them: recorded an hour ago by {@code node}, not delivered.
     */
    List<String> recordedEarlier(String interaction, int count, String node) {
        List<String> ids = new ArrayList<>();
        transactions.executeWithoutResult(status -> {
            for (int k = count; k >= 1; k--) {
                String id = UUID.randomUUID().toString();
                ids.add(0, id);
                var exchange = new DefaultExchange(camel);
                exchange.getIn().setBody(new EventEnvelopes(JSON).read(json(cxoneEvent(id, interaction, "Connected", k))));
                assertThat(recorder.add(exchange, id)).isTrue();
            }
            jdbc.sql("UPDATE events SET received_at = :before, node = :node WHERE interaction_id = :i")
                    .param("before", OffsetDateTime.now(ZoneOffset.UTC).minusHours(1)).param("node", node)
                    .param("i", interaction).update();
        });
        return ids;
    }

    @Test
    void should_deliver_pending_deliveries_from_the_store_in_order_as_after_a_restart() {
        String interaction = UUID.randomUUID().toString();

        List<String> ids = recordedEarlier(interaction, 10, "test-node");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink)).filteredOn(r -> interaction.equals(r.interactionId()))
                        .extracting(RecordingSinks.Request::eventId).containsExactlyElementsOf(ids);
            }
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.sql("""
                SELECT COUNT(*) FROM event_deliveries d JOIN events e ON e.pk = d.event_pk
                WHERE e.interaction_id = :i""").param("i", interaction)
                .query(Long.class).single()).as("delivered: no delivery row left").isZero());
    }

    @Test
    void should_deliver_what_another_instance_recorded() {
        String interaction = UUID.randomUUID().toString();

        List<String> ids = recordedEarlier(interaction, 3, "crashed-node");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink)).filteredOn(r -> interaction.equals(r.interactionId()))
                        .extracting(RecordingSinks.Request::eventId).containsExactlyElementsOf(ids);
            }
        });
    }

    /** In one transaction, rolled back at the end: no sink's reader ever sees these events. */
    @Test
    void should_delete_expired_delivered_events_but_keep_what_a_sink_still_waits_for() {
        transactions.executeWithoutResult(status -> {
            status.setRollbackOnly();
            Instant old = Instant.now().minus(Duration.ofDays(8));
            long delivered = insertEvent("expired-" + UUID.randomUUID(), old, null);
            long dead = insertEvent("expired-dead-" + UUID.randomUUID(), old, "dead");
            long pending = insertEvent("waiting-" + UUID.randomUUID(), old, "pending");
            long recent = insertEvent("recent-" + UUID.randomUUID(), Instant.now(), null);

            housekeeping.cleanup();

            assertThat(exists("events", "pk", delivered)).isFalse();
            assertThat(exists("events", "pk", dead)).isFalse();
            assertThat(exists("event_deliveries", "event_pk", dead)).as("its dead deliveries go with it").isFalse();
            assertThat(exists("events", "pk", pending)).isTrue();
            assertThat(exists("event_deliveries", "event_pk", pending)).isTrue();
            assertThat(exists("events", "pk", recent)).isTrue();
        });
    }

    /**
     * An event with a delivery to every sink in {@code state} (none when null: delivered everywhere).
     */
    long insertEvent(String id, Instant receivedAt, String state) {
        OffsetDateTime at = OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC);
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO events (event_id, interaction_id, source, detail_type, order_key, event_time, received_at,
                                    node, envelope)
                VALUES (:id, :id, 'test', 'test', 1, :at, :at, 'retention-test', '{}')""")
                .param("id", id).param("at", at).update(keys, "pk");
        long pk = keys.getKey().longValue();
        if (state != null) {
            for (String sink : RecordingSinks.NAMES) {
                jdbc.sql("INSERT INTO event_deliveries VALUES (:sink, :pk, :state, 1, :at)")
                        .param("pk", pk).param("sink", sink).param("state", state).param("at", at).update();
            }
        }
        return pk;
    }

    boolean exists(String table, String column, long value) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = :v").param("v", value)
                .query(Long.class).single() > 0;
    }
}
