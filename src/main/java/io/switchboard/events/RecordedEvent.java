package io.switchboard.events;

import java.time.Instant;

/**
 * A recorded event as a sink's reader takes it from the store.
 *
 * @param pk            its row in {@code events}: recording order
 * @param eventId       the envelope's {@code id} (sent to sinks as {@code X-Event-Id})
 * @param interactionId sent to sinks as {@code X-Interaction-Id}
 * @param orderKey      orders the interaction's events ({@code sequence}, else the event time)
 * @param receivedAt    when it was recorded: the ingest-to-sink latency starts here
 * @param seenAt        when the sink's reader first read it (after its transaction committed)
 * @param envelope      the envelope as received
 */
public record RecordedEvent(long pk, String eventId, String interactionId, long orderKey, Instant receivedAt,
                            Instant seenAt, String envelope) {
}
