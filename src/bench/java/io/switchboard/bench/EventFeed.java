package io.switchboard.bench;

import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

/**
 * The events a benchmark publishes: CXone interaction envelopes (the shape docs/api.md#events describes), {@code unique} distinct
 * events spread round-robin over {@code interactions} interactions, each interaction numbered 1, 2, 3... in
 * {@code detail.sequence}, plus re-sent copies of earlier events (same {@code id}: what EventBridge's at-least-once
 * delivery produces). The message order is "shuffled within the window": every message stays within
 * {@code shuffleBlock} positions of its place, so the resequencer has real work but nothing beyond its window.
 *
 * <p>Event ids are UUIDs that carry the run and the event's index ({@link #id}, {@link #indexOf}), so the sinks
 * can account for a million events with arrays instead of maps.
 */
final class EventFeed {

    private static final long RUN_MARK = 0x5b0a7d0000000000L;
    private static final String[] STAGES = {"Queued", "Offered", "Connected", "WrapUp", "Closed"};
    private static final Instant BASE_TIME = Instant.parse("2025-01-15T10:00:00Z");

    private final int run;
    private final int interactions;
    private final int unique;
    /** Message i carries event order[i]. */
    private final int[] order;

    private EventFeed(int run, int interactions, int unique, int[] order) {
        this.run = run;
        this.interactions = interactions;
        this.unique = unique;
        this.order = order;
    }

    /**
     * {@code messages} messages of which {@code duplicateShare} are re-sent copies; {@code seed} makes the same
     * plan for B1, B2 and Switchboard.
     */
    static EventFeed plan(int run, int messages, int interactions, double duplicateShare, int shuffleBlock, long seed) {
        if (run < 0 || run > 0xffff) {
            throw new IllegalArgumentException("run " + run);
        }
        int duplicates = (int) Math.round(messages * duplicateShare);
        int unique = messages - duplicates;
        Random random = new Random(seed);
        int block = Math.max(1, shuffleBlock);
        // sort keys: an event at 2e, a copy of it a little later (within the block), then shuffle inside blocks
        long[] keyed = new long[messages];
        for (int e = 0; e < unique; e++) {
            keyed[e] = ((long) (2 * e) << 32) | e;
        }
        for (int d = 0; d < duplicates; d++) {
            int e = random.nextInt(unique);
            long key = 2L * Math.min(unique - 1, e + random.nextInt(block)) + 1;
            keyed[unique + d] = (key << 32) | e;
        }
        Arrays.sort(keyed);
        int[] order = new int[messages];
        for (int i = 0; i < messages; i++) {
            order[i] = (int) keyed[i];
        }
        for (int start = 0; start < messages; start += block) {
            int end = Math.min(messages, start + block);
            for (int i = end - 1; i > start; i--) {
                int j = start + random.nextInt(i - start + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return new EventFeed(run, interactions, unique, order);
    }

    /** Only distinct events, in order: for latency runs, where a dropped duplicate has no latency to measure. */
    static EventFeed distinct(int run, int events, int interactions) {
        int[] order = new int[events];
        for (int i = 0; i < events; i++) {
            order[i] = i;
        }
        return new EventFeed(run, interactions, events, order);
    }

    int run() {
        return run;
    }

    int messages() {
        return order.length;
    }

    int unique() {
        return unique;
    }

    int interactions() {
        return interactions;
    }

    /** The event message {@code i} carries. */
    int eventAt(int message) {
        return order[message];
    }

    int interactionOf(int event) {
        return event % interactions;
    }

    int sequenceOf(int event) {
        return event / interactions + 1;
    }

    String id(int event) {
        return new UUID(RUN_MARK | run, event).toString();
    }

    String interactionId(int event) {
        return "bench-" + run + "-interaction-" + interactionOf(event);
    }

    /** The run an event id belongs to, or -1 if it is not a benchmark id. */
    static int runOf(String eventId) {
        try {
            UUID uuid = UUID.fromString(eventId);
            long high = uuid.getMostSignificantBits();
            return (high & 0xffffffffffff0000L) == RUN_MARK ? (int) (high & 0xffff) : -1;
        } catch (IllegalArgumentException | NullPointerException e) {
            return -1;
        }
    }

    static int indexOf(String eventId) {
        return (int) UUID.fromString(eventId).getLeastSignificantBits();
    }

    /** The body of message {@code i}: the envelope of the event it carries. */
    String message(int i) {
        return envelope(order[i]);
    }

    String envelope(int event) {
        int sequence = sequenceOf(event);
        int interaction = interactionOf(event);
        return "{\"version\":\"0\",\"id\":\"" + id(event) + "\",\"detail-type\":\"Interaction.Lifecycle.StageChanged\","
                + "\"source\":\"com.nice.cxone.interactions\",\"account\":\"123456789012\",\"time\":\""
                + BASE_TIME.plusSeconds(sequence) + "\",\"region\":\"us-east-1\",\"resources\":[],"
                + "\"detail\":{\"interaction.id\":\"" + interactionId(event) + "\",\"participant.id\":\"agent-"
                + (interaction % 17) + "\",\"stage\":\"" + STAGES[sequence % STAGES.length] + "\",\"state\":\"active\","
                + "\"sequence\":" + sequence + ",\"metadata\":{\"channel\":\"voice\",\"skill\":\"billing\"}}}";
    }
}
