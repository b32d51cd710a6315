package io.switchboard.events;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Timer-driven upkeep of the event store: this instance's heartbeat (and adopting the events of an instance that
 * went silent), and retention (expired idempotency keys and fully delivered events).
 */
@Component
public class EventHousekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(EventHousekeeping.class);

    private final EventStore store;
    private final SinkLanes lanes;
    private final EventsProperties properties;
    private final Clock clock;

    public EventHousekeeping(EventStore store, SinkLanes lanes, EventsProperties properties, Clock clock) {
        this.store = store;
        this.lanes = lanes;
        this.properties = properties;
        this.clock = clock;
    }

    /** Route step, every third of {@code events.node-timeout}: alive; take over what silent instances left. */
    public void heartbeat() {
        try {
            store.heartbeat();
            if (store.adoptSilentNodes() > 0) {
                lanes.sweep();
            }
        } catch (RuntimeException e) {
            // the next beat tries again; an instance silent for events.node-timeout may be adopted meanwhile
            LOG.warn("Event store heartbeat failed: {}", e.toString());
        }
    }

    /**
     * Route step, every {@code events.cleanup-period}: delete idempotency keys and fully delivered events older
     * than {@code events.retention}; and let every lane look in the store once for a pending delivery that no
     * queue holds (there should be none; this makes sure).
     */
    public void cleanup() {
        Instant cutoff = clock.instant().minus(properties.retention());
        int keys = store.deleteIdempotencyKeysBefore(cutoff);
        int events = store.deleteEventsBefore(cutoff);
        if (keys > 0 || events > 0) {
            LOG.info("Event retention ({}): deleted {} event(s) and {} idempotency key(s) recorded before {}",
                    properties.retention(), events, keys, cutoff);
        }
        lanes.sweep();
    }
}
