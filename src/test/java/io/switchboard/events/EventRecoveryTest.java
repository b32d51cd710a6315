package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
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

/**
 * What the store alone carries: deliveries still pending (after a crash, or left by an instance that went silent)
 * reach every sink, in order; retention deletes only what is fully delivered.
 */
class EventRecoveryTest extends EventsTestBase {

    @Autowired
    EventStore store;

    @Autowired
    SinkLanes lanes;

    @Autowired
    EventHousekeeping housekeeping;

    /**
     * Records events straight into the store, newest first, as an earlier run that died would have left them:
     * recorded, not delivered.
     */
    List<String> recordedByAnEarlierRun(String interaction, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int k = count; k >= 1; k--) {
            String id = UUID.randomUUID().toString();
            ids.add(0, id);
            store.record(new EventEnvelopes(JSON).read(json(cxoneEvent(id, interaction, "Connected", k))),
                    new DefaultExchange(camel));
        }
        jdbc.sql("UPDATE events SET received_at = :before WHERE interaction_id = :i")
                .param("before", OffsetDateTime.now(ZoneOffset.UTC).minusHours(1))
                .param("i", interaction).update();
        return ids;
    }


    @Test
    void should_deliver_pending_deliveries_from_the_store_in_order_as_after_a_restart() throws Exception {
        String interaction = UUID.randomUUID().toString();
        List<String> ids = recordedByAnEarlierRun(interaction, 10);

        lanes.sweep(); // what every lane does first at start-up

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink)).filteredOn(r -> interaction.equals(r.interactionId()))
                        .extracting(RecordingSinks.Request::eventId).containsExactlyElementsOf(ids);
            }
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.sql("""
                SELECT COUNT(*) FROM event_deliveries d JOIN events e ON e.pk = d.event_pk
                WHERE e.interaction_id = :i AND d.state = 'delivered'""").param("i", interaction)
                .query(Long.class).single()).isEqualTo(30));
    }

    @Test
    void should_adopt_and_deliver_the_events_of_an_instance_that_went_silent() throws Exception {
        String orphaned = UUID.randomUUID().toString();
        String owned = UUID.randomUUID().toString();
        List<String> ids = recordedByAnEarlierRun(orphaned, 3);
        recordedByAnEarlierRun(owned, 1);
        jdbc.sql("UPDATE events SET node = 'crashed-node' WHERE interaction_id = :i").param("i", orphaned).update();
        jdbc.sql("UPDATE events SET node = 'busy-node' WHERE interaction_id = :i").param("i", owned).update();
        jdbc.sql("INSERT INTO event_nodes (node, last_seen) VALUES ('crashed-node', :old), ('busy-node', :now)")
                .param("old", OffsetDateTime.now(ZoneOffset.UTC).minusHours(1))
                .param("now", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5))
                .update();

        housekeeping.heartbeat();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink)).filteredOn(r -> orphaned.equals(r.interactionId()))
                        .extracting(RecordingSinks.Request::eventId).containsExactlyElementsOf(ids);
            }
        });
        assertThat(jdbc.sql("SELECT DISTINCT node FROM events WHERE interaction_id = :i").param("i", orphaned)
                .query(String.class).list()).containsExactly("test-node");
        assertThat(jdbc.sql("SELECT node FROM events WHERE interaction_id = :i").param("i", owned)
                .query(String.class).single()).isEqualTo("busy-node");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM event_nodes WHERE node = 'crashed-node'").query(Long.class).single())
                .isZero();
        jdbc.sql("DELETE FROM event_nodes WHERE node = 'busy-node'").update();
    }

    @Test
    void should_delete_expired_delivered_events_and_idempotency_keys_but_keep_what_a_sink_still_waits_for() {
        Instant old = Instant.now().minus(Duration.ofDays(8));
        long delivered = insertEvent("expired-" + UUID.randomUUID(), old, "delivered");
        long pending = insertEvent("waiting-" + UUID.randomUUID(), old, "pending");
        long recent = insertEvent("recent-" + UUID.randomUUID(), Instant.now(), "delivered");
        String oldKey = "old-" + UUID.randomUUID();
        String newKey = "new-" + UUID.randomUUID();
        jdbc.sql("INSERT INTO event_idempotency_keys VALUES ('events', :k, :at)").param("k", oldKey)
                .param("at", Timestamp.from(old)).update();
        jdbc.sql("INSERT INTO event_idempotency_keys VALUES ('events', :k, :at)").param("k", newKey)
                .param("at", Timestamp.from(Instant.now())).update();

        housekeeping.cleanup();

        assertThat(exists("events", "pk", delivered)).isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM event_deliveries WHERE event_pk = :pk").param("pk", delivered)
                .query(Long.class).single()).isZero();
        assertThat(exists("events", "pk", pending)).isTrue();
        assertThat(exists("events", "pk", recent)).isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM event_idempotency_keys WHERE message_id IN (:a, :b)")
                .param("a", oldKey).param("b", newKey).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT message_id FROM event_idempotency_keys WHERE message_id IN (:a, :b)")
                .param("a", oldKey).param("b", newKey).query(String.class).single()).isEqualTo(newKey);
    }

    /** An event whose deliveries to every sink are in {@code state}, owned by another node so no lane takes it. */
    long insertEvent(String id, Instant receivedAt, String state) {
        OffsetDateTime at = OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC);
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO events (event_id, interaction_id, source, detail_type, order_key, event_time, received_at,
                                    node, lane_key, envelope)
                VALUES (:id, :id, 'test', 'test', 1, :at, :at, 'retention-test', 0, '{}')""")
                .param("id", id).param("at", at).update(keys, "pk");
        long pk = keys.getKey().longValue();
        for (String sink : RecordingSinks.NAMES) {
            jdbc.sql("INSERT INTO event_deliveries VALUES (:pk, :sink, :state, 1, :at)")
                    .param("pk", pk).param("sink", sink).param("state", state).param("at", at).update();
        }
        return pk;
    }

    boolean exists(String table, String column, long value) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = :v").param("v", value)
                .query(Long.class).single() > 0;
    }
}
