package io.switchboard.events;

import java.time.Instant;

/**
 * A valid event as it arrived, with what the pipeline derives from it.
 *
 * @param eventId       the envelope's {@code id}
 * @param interactionId CXone {@code detail["interaction.id"]}; Genesys {@code eventBody.conversationId}, else the
 *                      entity id named in {@code detail.topicName}
 * @param source        the envelope's {@code source}
 * @param detailType    the envelope's {@code detail-type}
 * @param orderKey      what orders an interaction's events: CXone {@code detail.sequence}, else the event time in
 *                      epoch milliseconds (Genesys: {@code eventBody.eventTime})
 * @param eventTime     when it happened (replay is chronological by this)
 * @param envelope      the envelope exactly as received; sinks get these bytes
 */
public record IncomingEvent(String eventId, String interactionId, String source, String detailType,
                            long orderKey, Instant eventTime, String envelope) {

    /** The idempotency key: {@code id + ":" + interactionId}. */
    public String key() {
        return eventId + ":" + interactionId;
    }
}
