package io.switchboard.events;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records an event: the repository of the pipeline's {@code idempotentConsumer}, whose {@link #add(Exchange, String)}
 * is the recording itself. One statement inserts the event with {@code ON CONFLICT DO NOTHING} on its unique
 * (interaction id, event id), and with it one pending delivery per sink; nothing inserted means it was recorded
 * before: a duplicate. No second table of keys: the events are the keys. Runs inside the caller's transaction
 * (one per SQS receive), so an event and its deliveries commit, or vanish, together.
 */
@Component
public class EventRecorder extends ServiceSupport implements IdempotentRepository {

    private static final String COLUMNS =
            "events (event_id, interaction_id, source, detail_type, order_key, event_time, node, envelope, received_at)";
    /**
     * PostgreSQL: the recording time is the database's clock, read after the transaction has its id, so that
     * {@link RecordingFence} can tell when every event stamped before a given time is committed (docs/events.md,
     * "Order"). The transaction id subquery comes first; the volatile functions keep it from being folded away.
     */
    private static final String POSTGRES = """
            WITH e AS (
                INSERT INTO %s
                SELECT ?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp() FROM (SELECT pg_current_xact_id() AS xid) tx
                WHERE tx.xid IS NOT NULL
                ON CONFLICT DO NOTHING RETURNING pk, received_at)
            INSERT INTO event_deliveries (sink, event_pk, state, attempts, updated_at)
            SELECT s.sink, e.pk, 'pending', 0, e.received_at FROM e CROSS JOIN (VALUES %s) AS s (sink)""";
    /** H2 (PostgreSQL mode): the same through a data change delta table; the recording time comes from Java. */
    private static final String H2 = """
            INSERT INTO event_deliveries (sink, event_pk, state, attempts, updated_at)
            SELECT s.sink, e.pk, 'pending', 0, e.received_at
            FROM FINAL TABLE (INSERT INTO %s VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING) e
            CROSS JOIN (VALUES %s) AS s (sink)""";

    private final JdbcClient jdbc;
    private final OpenRecordings openRecordings;
    private final EventsProperties properties;
    private final String record;
    private final boolean stampedByDatabase;

    public EventRecorder(JdbcClient jdbc, DataSource dataSource, OpenRecordings openRecordings,
                         EventsProperties properties) {
        this.jdbc = jdbc;
        this.openRecordings = openRecordings;
        this.properties = properties;
        this.stampedByDatabase = DeliveryStore.isPostgres(dataSource);
        String sinks = String.join(", ", properties.sinkNames().stream().map(sink -> "(?)").toList());
        this.record = (stampedByDatabase ? POSTGRES : H2).formatted(COLUMNS, sinks);
    }

    /**
     * Route step of {@code idempotentConsumer} (eager): records the {@link IncomingEvent} in the body; false when
     * its (interaction id, event id) is already recorded.
     */
    @Override
    public boolean add(Exchange exchange, String key) {
        IncomingEvent event = exchange.getIn().getBody(IncomingEvent.class);
        List<Object> values = new ArrayList<>(Arrays.asList(event.eventId(), event.interactionId(),
                truncate(event.source()), truncate(event.detailType()), event.orderKey(),
                OffsetDateTime.ofInstant(event.eventTime(), ZoneOffset.UTC), properties.nodeId(), event.envelope()));
        if (!stampedByDatabase) {
            // H2: the recording time, open until this transaction ends (PostgreSQL stamps it itself, see above)
            values.add(OffsetDateTime.ofInstant(openRecordings.stamp(), ZoneOffset.UTC));
        }
        values.addAll(properties.sinkNames());
        return jdbc.sql(record).params(values).update() > 0;
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("an event is recorded from its exchange: add(exchange, key)");
    }

    /** Whether {@code key} ({@link IncomingEvent#key()}) is recorded; the pipeline itself never asks (eager mode). */
    @Override
    public boolean contains(String key) {
        return jdbc.sql("SELECT COUNT(*) FROM events WHERE event_id || ':' || interaction_id = ?").param(key)
                .query(Long.class).single() > 0;
    }

    /** Nothing to undo: a failed recording rolls back with its transaction. */
    @Override
    public boolean remove(String key) {
        return false;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("recorded events expire after events.retention");
    }

    private static String truncate(String value) {
        return value == null || value.length() <= 256 ? value : value.substring(0, 256);
    }
}
