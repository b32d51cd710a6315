package io.switchboard.events;

import java.time.Instant;

/**
 * An event committed to the store, on its way to the sinks.
 *
 * @param pk            its row in {@code events}
 * @param eventId       the envelope's {@code id} (sent to sinks as {@code X-Event-Id})
 * @param interactionId sent to sinks as {@code X-Interaction-Id}
 * @param orderKey      orders the interaction's events
 * @param eventTime     when it happened
 * @param receivedAt    when it was recorded (ingest-to-sink latency starts here)
 * @param laneKey       0..1023 from the interaction id: which delivery lane of each sink carries it
 * @param ticket        increasing number handed out at recording in this process (0 for events read back from the
 *                      store); a lane compares it with the moment it left its backlog
 * @param envelope      the envelope as received
 */
public record RecordedEvent(long pk, String eventId, String interactionId, long orderKey, Instant eventTime,
                            Instant receivedAt, int laneKey, long ticket, String envelope) {

    static final int LANE_KEYS = 1024;

    static int laneKeyOf(String interactionId) {
        return Math.floorMod(interactionId.hashCode(), LANE_KEYS);
    }
}
