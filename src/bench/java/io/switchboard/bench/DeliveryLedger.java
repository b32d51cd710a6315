package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the sinks received of one {@link EventFeed}: per sink and event how often it arrived and when it first did,
 * when each event had reached every sink, repeats, and events that reached a sink out of their interaction's order.
 * Arrays indexed by event, so a million events cost a few tens of megabytes and no maps.
 */
final class DeliveryLedger {

    private final EventFeed feed;
    private final int sinks;
    private final AtomicIntegerArray[] receipts;
    private final long[][] firstAt;
    private final int[][] firstBodyHash;
    private final AtomicIntegerArray sinksReached;
    private final long[] completeAt;
    private final long[] sentAt;
    private final int[][] lastSequence;
    /** Per sink, the events in the order of their first arrival there, and how many so far (guarded like lastSequence). */
    private final int[][] arrivals;
    private final int[] arrived;
    private final AtomicInteger complete = new AtomicInteger();
    private final AtomicLong firstReceipts = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong changedRepeats = new AtomicLong();
    private final AtomicLong orderViolations = new AtomicLong();
    private final AtomicLong wrongInteraction = new AtomicLong();
    private volatile long lastReceiptAt;
    private volatile long lastCompletionAt;

    DeliveryLedger(EventFeed feed, int sinks) {
        this.feed = feed;
        this.sinks = sinks;
        int events = feed.unique();
        receipts = new AtomicIntegerArray[sinks];
        firstAt = new long[sinks][events];
        firstBodyHash = new int[sinks][events];
        lastSequence = new int[sinks][feed.interactions()];
        arrivals = new int[sinks][events];
        arrived = new int[sinks];
        for (int s = 0; s < sinks; s++) {
            receipts[s] = new AtomicIntegerArray(events);
        }
        sinksReached = new AtomicIntegerArray(events);
        completeAt = new long[events];
        sentAt = new long[events];
    }

    EventFeed feed() {
        return feed;
    }

    /** The publisher is about to send the event (the latency clock starts; the first send counts). */
    void sent(int event, long nanos) {
        if (sentAt[event] == 0) {
            sentAt[event] = nanos;
        }
    }

    /** Sink {@code sink} answered a delivery of {@code event}. */
    void received(int sink, int event, String interactionId, int bodyHash, long now) {
        lastReceiptAt = now;
        if (!feed.interactionId(event).equals(interactionId)) {
            wrongInteraction.incrementAndGet();
        }
        int count = receipts[sink].incrementAndGet(event);
        if (count > 1) {
            repeats.incrementAndGet();
            if (firstBodyHash[sink][event] != bodyHash) {
                changedRepeats.incrementAndGet();
            }
            return;
        }
        firstAt[sink][event] = now;
        firstBodyHash[sink][event] = bodyHash;
        firstReceipts.incrementAndGet();
        int interaction = feed.interactionOf(event);
        int sequence = feed.sequenceOf(event);
        synchronized (lastSequence[sink]) {
            arrivals[sink][arrived[sink]++] = event;
            if (sequence < lastSequence[sink][interaction]) {
                orderViolations.incrementAndGet();
            } else {
                lastSequence[sink][interaction] = sequence;
            }
        }
        if (sinksReached.incrementAndGet(event) == sinks) {
            completeAt[event] = now;
            lastCompletionAt = now;
            complete.incrementAndGet();
        }
    }

    /** How often {@code sink} received {@code event}. */
    int receipts(int sink, int event) {
        return receipts[sink].get(event);
    }

    /** Events that reached every sink. */
    int complete() {
        return complete.get();
    }

    long firstReceipts() {
        return firstReceipts.get();
    }

    long repeats() {
        return repeats.get();
    }

    /** Repeats whose body differed from the first delivery (must be 0: a repeat is the same event). */
    long changedRepeats() {
        return changedRepeats.get();
    }

    /**
     * Deliveries that came after a later event of their interaction (the first delivery of each event counts, a
     * repeat does not): what the order guarantee allows only for events recorded late ({@link #arrivals}).
     */
    long orderViolations() {
        return orderViolations.get();
    }

    /** The events {@code sink} received, in the order of their first arrival there. */
    int[] arrivals(int sink) {
        synchronized (lastSequence[sink]) {
            return java.util.Arrays.copyOf(arrivals[sink], arrived[sink]);
        }
    }

    long wrongInteraction() {
        return wrongInteraction.get();
    }

    long lastReceiptAt() {
        return lastReceiptAt;
    }

    long lastCompletionAt() {
        return lastCompletionAt;
    }

    boolean isComplete(int event) {
        return sinksReached.get(event) == sinks;
    }

    /** Events of the first {@code messages} messages that have not reached every sink. */
    int missingAmongFirst(int messages, boolean[] distinctSeen) {
        int missing = 0;
        for (int i = 0; i < messages; i++) {
            int event = feed.eventAt(i);
            if (!distinctSeen[event]) {
                distinctSeen[event] = true;
                if (!isComplete(event)) {
                    missing++;
                }
            }
        }
        return missing;
    }

    /** Sink by sink: events of the feed the sink never received. */
    long[] lostPerSink() {
        long[] lost = new long[sinks];
        for (int s = 0; s < sinks; s++) {
            for (int e = 0; e < feed.unique(); e++) {
                if (receipts[s].get(e) == 0) {
                    lost[s]++;
                }
            }
        }
        return lost;
    }

    /** Send-to-last-sink latencies in nanoseconds of the events sent in [{@code from}, {@code to}). */
    long[] completionLatencies(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (int e = 0; e < feed.unique(); e++) {
            long sent = sentAt[e];
            if (sent != 0 && sent >= from && sent < to && completeAt[e] != 0) {
                values.add(completeAt[e] - sent);
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The send-to-last-sink latencies of the events sent in [{@code from}, {@code to}) split at their recording:
     * [0] send → recorded, [1] recorded → last sink, in nanoseconds. {@code recordedNanos[event]} is the recording time
     * on this JVM's nanoTime scale (0: not recorded).
     */
    long[][] splitAtRecording(long from, long to, long[] recordedNanos) {
        List<Long> before = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        for (int e = 0; e < feed.unique(); e++) {
            long sent = sentAt[e];
            if (sent != 0 && sent >= from && sent < to && completeAt[e] != 0 && recordedNanos[e] != 0) {
                before.add(recordedNanos[e] - sent);
                after.add(completeAt[e] - recordedNanos[e]);
            }
        }
        return new long[][] {before.stream().mapToLong(Long::longValue).toArray(),
                after.stream().mapToLong(Long::longValue).toArray()};
    }

    /** Send-to-sink latencies at one sink, of the events sent in [{@code from}, {@code to}). */
    long[] sinkLatencies(int sink, long from, long to) {
        List<Long> values = new ArrayList<>();
        for (int e = 0; e < feed.unique(); e++) {
            long sent = sentAt[e];
            if (sent != 0 && sent >= from && sent < to && receipts[sink].get(e) > 0) {
                values.add(firstAt[sink][e] - sent);
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** Events sent in [{@code from}, {@code to}) that have not reached every sink. */
    int incompleteSentBetween(long from, long to) {
        int incomplete = 0;
        for (int e = 0; e < feed.unique(); e++) {
            long sent = sentAt[e];
            if (sent != 0 && sent >= from && sent < to && !isComplete(e)) {
                incomplete++;
            }
        }
        return incomplete;
    }

    /** Which events had reached every sink at this moment (taken at a kill). */
    boolean[] completeNow() {
        boolean[] done = new boolean[feed.unique()];
        for (int e = 0; e < done.length; e++) {
            done[e] = isComplete(e);
        }
        return done;
    }

    /**
     * Repeated deliveries, split by whether the event was still in flight (not yet at every sink) when
     * Switchboard was killed, given {@link #completeNow()} taken at the kill.
     */
    Repeats repeatsAfterKill(boolean[] completeAtKill) {
        long inFlight = 0;
        long settled = 0;
        long events = 0;
        for (int e = 0; e < feed.unique(); e++) {
            long extra = 0;
            for (int s = 0; s < sinks; s++) {
                extra += Math.max(0, receipts[s].get(e) - 1);
            }
            if (extra > 0) {
                events++;
                if (completeAtKill[e]) {
                    settled += extra;
                } else {
                    inFlight += extra;
                }
            }
        }
        return new Repeats(inFlight, settled, events);
    }

    /**
     * @param ofInFlight repeated deliveries of events not yet at every sink at the kill
     * @param ofDelivered repeated deliveries of events that had reached every sink before the kill (their delivery
     *                    was made but not yet acknowledged in Switchboard's store)
     * @param events      distinct events delivered more than once anywhere
     */
    record Repeats(long ofInFlight, long ofDelivered, long events) {
        long total() {
            return ofInFlight + ofDelivered;
        }
    }
}
