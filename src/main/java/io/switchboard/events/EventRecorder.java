package io.switchboard.events;

import java.time.Clock;
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
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Records an event: the repository of the pipeline's {@code idempotentConsumer}, whose {@link #add(Exchange, String)}
 * is the recording itself. The event is inserted with {@code ON CONFLICT DO NOTHING} on its unique
 * (interaction id, event id), and with it one pending delivery per sink; nothing inserted means it was recorded
 * before: a duplicate. No second table of keys: the events are the keys. Runs inside the caller's transaction
 * (one per SQS receive), so an event and its deliveries commit, or vanish, together.
 */
@Component
public class EventRecorder extends ServiceSupport implements IdempotentRepository {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final OpenRecordings openRecordings;
    private final EventsProperties properties;
    private final String insertDeliveries;
    private final String insertEvent;
    private final boolean stampedByDatabase;

    /**
     * PostgreSQL: the recording time is the database's clock, read after the transaction has its id, so that
     * {@link RecordingFence} can tell when every event stamped before a given time is committed (docs/events.md,
     * "Order"). The transaction id subquery comes first; the volatile functions keep it from being folded away.
     */
    private static final String STAMPED_AFTER_TRANSACTION_ID = """
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp()
            FROM (SELECT pg_current_xact_id() AS xid) tx WHERE tx.xid IS NOT NULL""";

    public EventRecorder(JdbcClient jdbc, DataSource dataSource, Clock clock, OpenRecordings openRecordings,
                         EventsProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.openRecordings = openRecordings;
        this.properties = properties;
        this.insertDeliveries = "INSERT INTO event_deliveries (sink, event_pk, state, attempts, updated_at) VALUES "
                + String.join(", ", properties.sinkNames().stream().map(sink -> "(?, ?, 'pending', 0, ?)").toList());
        this.stampedByDatabase = DeliveryStore.isPostgres(dataSource);
        this.insertEvent = """
                INSERT INTO events (event_id, interaction_id, source, detail_type, order_key, event_time, node,
                                    envelope, received_at)
                """ + (stampedByDatabase ? STAMPED_AFTER_TRANSACTION_ID : "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                + " ON CONFLICT DO NOTHING";
    }

    /**
     * Route step of {@code idempotentConsumer} (eager): records the {@link IncomingEvent} in the body; false when
     * its (interaction id, event id) is already recorded.
     */
    @Override
    public boolean add(Exchange exchange, String key) {
        IncomingEvent event = exchange.getIn().getBody(IncomingEvent.class);
        // H2: the recording time, open until this transaction ends (PostgreSQL stamps it itself, see above)
        OffsetDateTime now = OffsetDateTime.ofInstant(stampedByDatabase ? clock.instant() : openRecordings.stamp(),
                ZoneOffset.UTC);
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        List<Object> values = new ArrayList<>(Arrays.asList(event.eventId(), event.interactionId(),
                truncate(event.source()), truncate(event.detailType()), event.orderKey(),
                OffsetDateTime.ofInstant(event.eventTime(), ZoneOffset.UTC), properties.nodeId(), event.envelope()));
        if (!stampedByDatabase) {
            values.add(now);
        }
        int inserted = jdbc.sql(insertEvent).params(values).update(keys, "pk");
        if (inserted == 0) {
            return false;
        }
        long pk = keys.getKey().longValue();
        List<Object> rows = new ArrayList<>();
        for (String sink : properties.sinkNames()) {
            rows.addAll(List.of(sink, pk, now));
        }
        jdbc.sql(insertDeliveries).params(rows).update();
        return true;
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
