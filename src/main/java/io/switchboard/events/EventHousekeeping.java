package io.switchboard.events;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Retention of the event store: events recorded more than {@code events.retention} ago that no configured sink
 * still waits for are deleted, with their dead deliveries. (A re-sent event counts as a duplicate for that long.)
 */
@Component
public class EventHousekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(EventHousekeeping.class);
    private static final int BATCH = 1000;

    private final JdbcClient jdbc;
    private final EventsProperties properties;
    private final Clock clock;

    public EventHousekeeping(JdbcClient jdbc, EventsProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Route step, every {@code events.cleanup-period}: the oldest events first (pk order), a thousand at a time. */
    public void cleanup() {
        Instant cutoff = clock.instant().minus(properties.retention());
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("""
                    DELETE FROM events WHERE pk IN (
                        SELECT e.pk FROM events e WHERE e.received_at < :cutoff AND NOT EXISTS (
                            SELECT 1 FROM event_deliveries d
                            WHERE d.sink IN (:sinks) AND d.state = 'pending' AND d.event_pk = e.pk)
                        ORDER BY e.pk LIMIT :batch)""")
                    .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
                    .param("sinks", properties.sinkNames())
                    .param("batch", BATCH)
                    .update();
            total += deleted;
        } while (deleted == BATCH);
        int dead = jdbc.sql("""
                DELETE FROM event_deliveries WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.pk = event_deliveries.event_pk)""")
                .update();
        if (total > 0 || dead > 0) {
            LOG.info("Event retention ({}): deleted {} event(s) recorded before {} and {} delivery row(s) left without"
                    + " their event", properties.retention(), total, cutoff, dead);
        }
    }
}
