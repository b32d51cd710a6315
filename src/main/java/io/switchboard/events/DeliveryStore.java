package io.switchboard.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery queue in the store: {@code event_deliveries}, one row per delivery not done (pending or dead),
 * keyed (sink, state, event pk), so that a sink's pending deliveries are one index range in recording order.
 */
@Component
public class DeliveryStore {

    private static final String PENDING = """
            SELECT e.pk, e.event_id, e.interaction_id, e.order_key, e.received_at, e.envelope
            FROM event_deliveries d JOIN events e ON e.pk = d.event_pk
            WHERE d.sink = :sink AND d.state = 'pending'""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final boolean postgres;

    public DeliveryStore(JdbcClient jdbc, PlatformTransactionManager transactionManager, Clock clock,
            DataSource dataSource) {
        this.jdbc = jdbc;
        this.postgres = isPostgres(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** The sink's pending deliveries recorded after {@code pk}, in recording order, at most {@code limit}. */
    List<RecordedEvent> pendingAfter(String sink, long pk, int limit) {
        return jdbc.sql(PENDING + " AND d.event_pk > :pk ORDER BY d.event_pk LIMIT :limit")
                .param("sink", sink).param("pk", pk).param("limit", limit)
                .query(this::recorded).list();
    }

    /**
     * Pks of the sink's pending deliveries after {@code after} up to {@code upTo}, lowest first, at most {@code limit}
     * (index only).
     */
    List<Long> pendingBetween(String sink, long after, long upTo, int limit) {
        return jdbc.sql("""
                        SELECT event_pk FROM event_deliveries WHERE sink = :sink AND state = 'pending'
                        AND event_pk > :after AND event_pk <= :upTo ORDER BY event_pk LIMIT :limit""")
                .param("sink", sink).param("after", after).param("upTo", upTo).param("limit", limit)
                .query(Long.class).list();
    }

    /** The sink's pending deliveries of these events. */
    List<RecordedEvent> pending(String sink, Collection<Long> pks) {
        return pks.isEmpty() ? List.of() : jdbc.sql(PENDING + " AND d.event_pk IN (:pks)")
                .param("sink", sink).param("pks", pks)
                .query(this::recorded).list();
    }

    /** The sink took these events: their deliveries are done (deleted), in one transaction. */
    void delivered(String sink, List<Long> pks) {
        transactions.executeWithoutResult(status -> {
            for (int from = 0; from < pks.size(); from += 500) {
                jdbc.sql("DELETE FROM event_deliveries WHERE sink = :sink AND state = 'pending' AND event_pk IN (:pks)")
                        .param("sink", sink).param("pks", pks.subList(from, Math.min(pks.size(), from + 500)))
                        .update();
            }
        });
    }

    /** Attempts used up: the delivery is dead until redriven. */
    void dead(String sink, long pk, int attempts) {
        jdbc.sql("""
                UPDATE event_deliveries SET state = 'dead', attempts = :attempts, updated_at = :at
                WHERE sink = :sink AND state = 'pending' AND event_pk = :pk""")
                .param("attempts", attempts).param("at", now()).param("sink", sink).param("pk", pk).update();
    }

    /** A redrive: the dead delivery is pending again (its sink's reader finds it); false if there is none. */
    boolean redrive(String sink, long pk) {
        return jdbc.sql("""
                UPDATE event_deliveries SET state = 'pending', attempts = 0, updated_at = :at
                WHERE sink = :sink AND state = 'dead' AND event_pk = :pk""")
                .param("at", now()).param("sink", sink).param("pk", pk).update() > 0;
    }

    /** Pending deliveries of the sink, whole cluster. */
    long pendingCount(String sink) {
        return jdbc.sql("SELECT COUNT(*) FROM event_deliveries WHERE sink = :sink AND state = 'pending'")
                .param("sink", sink).query(Long.class).single();
    }

    /** When the sink's oldest pending delivery was recorded (the lowest pk), whole cluster. */
    Optional<Instant> oldestPending(String sink) {
        return jdbc.sql(PENDING + " ORDER BY d.event_pk LIMIT 1").param("sink", sink)
                .query(this::recorded).optional().map(RecordedEvent::receivedAt);
    }

    /**
     * PostgreSQL: the database time, then (a statement later, so after it) the oldest running and the next transaction
     * id, for {@link RecordingFence}. Empty on other databases.
     */
    Optional<RecordingFence.Snapshot> snapshot() {
        if (!postgres) {
            return Optional.empty();
        }
        Instant at = jdbc.sql("SELECT clock_timestamp()").query(OffsetDateTime.class).single().toInstant();
        return jdbc.sql("""
                        SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin,
                               pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax""")
                .query((rs, row) -> new RecordingFence.Snapshot(at, rs.getLong("xmin"), rs.getLong("xmax"))).optional();
    }

    static boolean isPostgres(DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not tell the database: " + e.getMessage(), e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private RecordedEvent recorded(ResultSet rs, int row) throws SQLException {
        return new RecordedEvent(rs.getLong("pk"), rs.getString("event_id"), rs.getString("interaction_id"),
                rs.getLong("order_key"), rs.getObject("received_at", OffsetDateTime.class).toInstant(), clock.instant(),
                rs.getString("envelope"));
    }
}
