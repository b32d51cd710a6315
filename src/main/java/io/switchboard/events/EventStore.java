package io.switchboard.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable side of the pipeline: {@code events} (every accepted event) and {@code event_deliveries} (one row per
 * event and sink: pending, delivered or dead). Tables in {@code db/migration/V30__events.sql}.
 */
@Component
public class EventStore {

    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String DEAD = "dead";

    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    private static final String COLUMNS =
            "e.pk, e.event_id, e.interaction_id, e.order_key, e.event_time, e.received_at, e.lane_key, e.envelope";
    private static final String LANE_PENDING = """
            FROM event_deliveries d JOIN events e ON e.pk = d.event_pk
            WHERE d.state = 'pending' AND d.sink = :sink AND e.node = :node AND MOD(e.lane_key, :lanes) = :lane""";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final EventsProperties properties;
    private final AtomicLong tickets = new AtomicLong();

    public EventStore(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactionManager,
                      Clock clock, EventsProperties properties) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.properties = properties;
        makeH2CommitsDurable(dataSource);
    }

    /**
     * An H2 file database writes committed transactions to disk in the background, up to half a second later
     * (WRITE_DELAY). Killed with {@code kill -9} in that gap it forgets them, though their SQS messages are already
     * deleted: an event would be lost. WRITE_DELAY 0 writes each commit before it returns (a database setting;
     * PostgreSQL commits are durable anyway).
     */
    private static void makeH2CommitsDurable(DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                return;
            }
            try (var statement = connection.createStatement()) {
                statement.execute("SET WRITE_DELAY 0");
            }
            LOG.info("H2 database: WRITE_DELAY set to 0 so that a recorded event survives the process being killed");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not make H2 commits durable: " + e.getMessage(), e);
        }
    }

    /**
     * Route step (inside the record transaction): inserts the event and a pending delivery per sink. An event
     * whose (id, interaction id) is already stored is marked as a duplicate ({@link Exchange#DUPLICATE_MESSAGE})
     * and gets no deliveries.
     */
    public RecordedEvent record(IncomingEvent event, Exchange exchange) {
        long ticket = tickets.incrementAndGet();
        Instant receivedAt = clock.instant();
        int laneKey = RecordedEvent.laneKeyOf(event.interactionId());
        String owner = properties.fifo() ? ownerOf(event.interactionId()) : properties.nodeId();
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        int inserted = jdbc.sql("""
                INSERT INTO events (event_id, interaction_id, source, detail_type, order_key, event_time, received_at,
                                    node, lane_key, envelope)
                VALUES (:eventId, :interactionId, :source, :detailType, :orderKey, :eventTime, :receivedAt, :node,
                        :laneKey, :envelope)
                ON CONFLICT DO NOTHING""")
                .param("eventId", event.eventId())
                .param("interactionId", event.interactionId())
                .param("source", truncate(event.source(), 256))
                .param("detailType", truncate(event.detailType(), 256))
                .param("orderKey", event.orderKey())
                .param("eventTime", utc(event.eventTime()))
                .param("receivedAt", utc(receivedAt))
                .param("node", owner)
                .param("laneKey", laneKey)
                .param("envelope", event.envelope())
                .update(keys, "pk");
        if (inserted == 0) {
            exchange.setProperty(Exchange.DUPLICATE_MESSAGE, Boolean.TRUE);
            return null;
        }
        long pk = keys.getKey().longValue();
        List<String> sinks = properties.sinkNames();
        MapSqlParameterSource[] rows = new MapSqlParameterSource[sinks.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new MapSqlParameterSource().addValue("pk", pk).addValue("sink", sinks.get(i))
                    .addValue("at", utc(receivedAt));
        }
        named.batchUpdate("""
                INSERT INTO event_deliveries (event_pk, sink, state, attempts, updated_at)
                VALUES (:pk, :sink, 'pending', 0, :at)""", rows);
        return new RecordedEvent(pk, event.eventId(), event.interactionId(), event.orderKey(), event.eventTime(),
                receivedAt, laneKey, ticket, event.envelope());
    }

    /**
     * FIFO queue: the instance that delivers the interaction's events. SQS hands out an interaction's next message
     * only once the previous one is deleted, that is recorded, so the interaction's events are recorded one after
     * the other, possibly by different instances. Whichever instance still has one of them to deliver delivers
     * this one too, after it (its lanes read the store in recording order); with nothing pending, this instance
     * takes it. (Nothing pending means every earlier event has reached every sink: a delivery is marked done
     * only after it.)
     */
    private String ownerOf(String interactionId) {
        return jdbc.sql("""
                        SELECT e.node FROM events e JOIN event_deliveries d ON d.event_pk = e.pk
                        WHERE e.interaction_id = :interactionId AND d.state = 'pending' LIMIT 1""")
                .param("interactionId", interactionId)
                .query(String.class).optional().orElse(properties.nodeId());
    }

    /** The latest ticket handed out by {@link #record}. */
    long currentTicket() {
        return tickets.get();
    }

    // --- replay ---------------------------------------------------------------------------------------------

    /** Recorded envelopes in chronological order (event time, then arrival). */
    public List<String> envelopes(String interactionId, int offset, int limit) {
        return jdbc.sql("SELECT envelope FROM events e" + whereInteraction(interactionId)
                        + " ORDER BY e.event_time, e.pk LIMIT :limit OFFSET :offset")
                .params(interactionParams(interactionId))
                .param("limit", limit)
                .param("offset", offset)
                .query(String.class).list();
    }

    public long count(String interactionId) {
        return jdbc.sql("SELECT COUNT(*) FROM events e" + whereInteraction(interactionId))
                .params(interactionParams(interactionId))
                .query(Long.class).single();
    }

    private static String whereInteraction(String interactionId) {
        return interactionId == null ? "" : " WHERE e.interaction_id = :interactionId";
    }

    private static Map<String, Object> interactionParams(String interactionId) {
        return interactionId == null ? Map.of() : Map.of("interactionId", interactionId);
    }

    // --- deliveries -----------------------------------------------------------------------------------------

    /**
     * Pending deliveries of one lane of a sink, owned by this instance, in the order the sink must see them:
     * per interaction by order key (then arrival); with a FIFO queue by arrival.
     */
    List<RecordedEvent> pendingForLane(String sink, int lane, int limit) {
        // FIFO queue: the queue's order, that is recording order; otherwise the order keys
        return jdbc.sql("SELECT " + COLUMNS + " " + LANE_PENDING
                        + (properties.fifo() ? " ORDER BY e.interaction_id, e.pk" : " ORDER BY e.interaction_id, e.order_key, e.pk")
                        + " LIMIT :limit")
                .params(laneParams(sink, lane))
                .param("limit", limit)
                .query(this::recorded).list();
    }

    /** Whether the lane has a pending delivery recorded at or before {@code cutoff}. */
    boolean hasPendingRecordedBefore(String sink, int lane, Instant cutoff) {
        return !jdbc.sql("SELECT e.pk " + LANE_PENDING + " AND e.received_at <= :cutoff LIMIT 1")
                .params(laneParams(sink, lane))
                .param("cutoff", utc(cutoff))
                .query(Long.class).list().isEmpty();
    }

    private Map<String, Object> laneParams(String sink, int lane) {
        return Map.of("sink", sink, "node", properties.nodeId(), "lanes", properties.sinkLanes(), "lane", lane);
    }

    boolean isPending(long pk, String sink) {
        return jdbc.sql("SELECT state FROM event_deliveries WHERE event_pk = :pk AND sink = :sink")
                .param("pk", pk).param("sink", sink)
                .query(String.class).optional().map(PENDING::equals).orElse(false);
    }

    /** A delivery that succeeded: (event pk, sink, attempts it took). */
    record Delivered(long pk, String sink, int attempts) {
    }

    /** Marks deliveries done, in one transaction. */
    void markDelivered(List<Delivered> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        OffsetDateTime now = utc(clock.instant());
        MapSqlParameterSource[] rows = deliveries.stream()
                .map(d -> new MapSqlParameterSource().addValue("pk", d.pk()).addValue("sink", d.sink())
                        .addValue("attempts", d.attempts()).addValue("at", now))
                .toArray(MapSqlParameterSource[]::new);
        transactions.executeWithoutResult(status -> named.batchUpdate("""
                UPDATE event_deliveries SET state = 'delivered', attempts = :attempts, updated_at = :at
                WHERE event_pk = :pk AND sink = :sink""", rows));
    }

    void markDead(long pk, String sink, int attempts) {
        setState(pk, sink, DEAD, attempts);
    }

    /**
     * Puts a dead delivery back to pending (a redrive) and makes this instance the event's owner, so that its
     * lanes deliver it; false when the event has no delivery to that sink.
     */
    boolean markPending(long pk, String sink) {
        boolean found = setState(pk, sink, PENDING, 0);
        if (found) {
            jdbc.sql("UPDATE events SET node = :me WHERE pk = :pk").param("me", properties.nodeId()).param("pk", pk)
                    .update();
        }
        return found;
    }

    private boolean setState(long pk, String sink, String state, int attempts) {
        return jdbc.sql("""
                UPDATE event_deliveries SET state = :state, attempts = :attempts, updated_at = :at
                WHERE event_pk = :pk AND sink = :sink""")
                .param("state", state).param("attempts", attempts).param("at", utc(clock.instant()))
                .param("pk", pk).param("sink", sink)
                .update() > 0;
    }

    Optional<RecordedEvent> find(long pk) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM events e WHERE e.pk = :pk").param("pk", pk)
                .query(this::recorded).optional();
    }

    private RecordedEvent recorded(ResultSet rs, int row) throws SQLException {
        return new RecordedEvent(
                rs.getLong("pk"),
                rs.getString("event_id"),
                rs.getString("interaction_id"),
                rs.getLong("order_key"),
                rs.getObject("event_time", OffsetDateTime.class).toInstant(),
                rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                rs.getInt("lane_key"),
                0,
                rs.getString("envelope"));
    }

    // --- housekeeping ---------------------------------------------------------------------------------------

    /** Deletes idempotency keys older than {@code cutoff}; returns how many. */
    int deleteIdempotencyKeysBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM event_idempotency_keys WHERE created_at < :cutoff")
                .param("cutoff", Timestamp.from(cutoff))
                .update();
    }

    /**
     * Deletes events recorded before {@code cutoff} that no configured sink still waits for, a thousand per
     * transaction; returns how many.
     */
    int deleteEventsBefore(Instant cutoff) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("""
                    DELETE FROM events WHERE pk IN (
                        SELECT e.pk FROM events e WHERE e.received_at < :cutoff AND NOT EXISTS (
                            SELECT 1 FROM event_deliveries d
                            WHERE d.event_pk = e.pk AND d.state = 'pending' AND d.sink IN (:sinks))
                        ORDER BY e.pk LIMIT 1000)""")
                    .param("cutoff", utc(cutoff))
                    .param("sinks", properties.sinkNames())
                    .update();
            total += deleted;
        } while (deleted > 0);
        return total;
    }

    /** Records this instance as alive (database time, so instances need not agree on clocks). */
    void heartbeat() {
        int updated = jdbc.sql("UPDATE event_nodes SET last_seen = CURRENT_TIMESTAMP WHERE node = :node")
                .param("node", properties.nodeId()).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO event_nodes (node, last_seen) VALUES (:node, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING")
                    .param("node", properties.nodeId()).update();
        }
    }

    /**
     * Takes over the events of every other instance silent for {@code events.node-timeout}; returns how many
     * events changed hands.
     */
    int adoptSilentNodes() {
        OffsetDateTime now = jdbc.sql("SELECT CURRENT_TIMESTAMP").query(OffsetDateTime.class).single();
        OffsetDateTime cutoff = now.minus(properties.nodeTimeout());
        List<String> silent = jdbc.sql("SELECT node FROM event_nodes WHERE node <> :me AND last_seen < :cutoff")
                .param("me", properties.nodeId()).param("cutoff", cutoff)
                .query(String.class).list();
        int adopted = 0;
        for (String node : silent) {
            Integer moved = transactions.execute(status -> {
                int claimed = jdbc.sql("DELETE FROM event_nodes WHERE node = :node AND last_seen < :cutoff")
                        .param("node", node).param("cutoff", cutoff).update();
                if (claimed == 0) {
                    return 0; // it came back, or another instance adopted it first
                }
                return jdbc.sql("""
                        UPDATE events SET node = :me WHERE node = :node AND EXISTS (
                            SELECT 1 FROM event_deliveries d WHERE d.event_pk = events.pk AND d.state = 'pending')""")
                        .param("me", properties.nodeId()).param("node", node).update();
            });
            if (moved != null && moved > 0) {
                LOG.warn("Instance {} has been silent for {}: adopted its {} recorded event(s)", node,
                        properties.nodeTimeout(), moved);
                adopted += moved;
            }
        }
        if (properties.fifo()) {
            // an event given to an instance (see ownerOf) just as that instance was adopted: nobody would deliver it
            int orphans = jdbc.sql("""
                    UPDATE events SET node = :me WHERE received_at < :cutoff
                    AND node NOT IN (SELECT n.node FROM event_nodes n) AND EXISTS (
                        SELECT 1 FROM event_deliveries d WHERE d.event_pk = events.pk AND d.state = 'pending')""")
                    .param("me", properties.nodeId()).param("cutoff", cutoff).update();
            if (orphans > 0) {
                LOG.warn("Adopted {} recorded event(s) of instances that are gone", orphans);
                adopted += orphans;
            }
        }
        return adopted;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
