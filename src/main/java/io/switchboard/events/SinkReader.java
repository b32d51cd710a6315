package io.switchboard.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one reader of the store for one sink (docs/events.md, "Deliver"). Its route polls it on one instance of the
 * cluster: each {@link #poll} records what the sink took, reads the sink's pending deliveries in recording order
 * into the {@link DeliveryOrder}, and returns those that may go now, at most {@code events.sink-concurrency} in
 * flight. A delivered event hands on straight to its interaction's next one when that may go ({@link #delivered}).
 *
 * <p>Reading: forward from the highest pk read; the pks a forward read skipped (a recording not yet committed, or none:
 * a duplicate's, a rollback's) looked for again at every poll until the read time below shows their transactions ended,
 * at most {@link #GAP_WAIT}; and every {@link #RESCAN}, a rescan of the pending pks up to there, for an event whose
 * transaction committed later still, or a redriven delivery. A rescan reads a page of pks per poll and goes on from
 * there at the next, until it has covered every pending pk up to where it began, however many deliveries the reader
 * holds below them. The <em>horizon</em>, up to which every recorded event has been seen, is the older of the read time
 * when the last complete rescan began and the forward edge (the read time when the read reached the end, else the
 * recording time of the last row read). On PostgreSQL the read time is the {@link RecordingFence}, taken with each
 * rescan: the database time up to which every recording transaction has ended. On H2 (one process) it is {@link
 * OpenRecordings}: the oldest recording time whose transaction is still open in this process, else the clock. Both are
 * exact.
 */
public final class SinkReader {

    static final Duration RESCAN = Duration.ofMillis(100);
    /** How long a pk the forward read skipped is looked for at every poll, at most; after that, the rescan finds it. */
    static final Duration GAP_WAIT = Duration.ofMillis(250);
    /** Skipped pks followed at most, and the widest skip followed (wider: a restart's, or retention's; rescanned). */
    private static final int MAX_GAPS = 1000;
    private static final int MAX_SKIP = 100;
    /** Polls further apart than this (the first one, leadership regained): read everything again. */
    static final Duration RESTART_GAP = Duration.ofSeconds(2);
    private static final long FLUSH_DELAY_NANOS = Duration.ofMillis(100).toNanos();
    private static final int FLUSH_BATCH = 500;
    private static final int CHUNK = 500;

    final String sink;
    final DeliveryOrder order;
    private final DeliveryStore store;
    private final Clock clock;
    private final OpenRecordings openRecordings;
    private final int concurrency;
    private final int readAhead;
    /** Pks held by the order, or delivered and not yet recorded as such: never read in again. */
    private final Set<Long> known = new HashSet<>();
    private final List<Long> delivered = new ArrayList<>();
    private long firstDeliveredAt;
    private Instant horizon = Instant.EPOCH;
    // the poll's own state (one poll at a time)
    private long cursor;
    /** Pks the forward read skipped → when, looked for at every poll ({@link #lookIntoGaps}). */
    private final TreeMap<Long, Instant> gaps = new TreeMap<>();
    private volatile Instant lastPoll = Instant.EPOCH;
    private Instant nextRescan = Instant.EPOCH;
    private Instant rescannedAt = Instant.EPOCH;
    /** The rescan in progress: it covers the pending pks after {@code rescanFrom} up to {@code rescanTo}. */
    private boolean rescanning;
    private long rescanFrom;
    private long rescanTo;
    private Instant rescanBegan = Instant.EPOCH;
    private Instant edge = Instant.EPOCH;
    /** The time up to which every recording has ended, as of the last rescan. */
    private Instant committedUpTo = Instant.EPOCH;
    private final RecordingFence fence = new RecordingFence();

    SinkReader(String sink, DeliveryStore store, Clock clock, OpenRecordings openRecordings, EventsProperties properties) {
        this.sink = sink;
        this.store = store;
        this.clock = clock;
        this.openRecordings = openRecordings;
        this.concurrency = properties.sinkConcurrency();
        this.readAhead = properties.readAhead();
        this.order = new DeliveryOrder(properties.window(), properties.fifo());
    }

    /** Route step (timer): the deliveries that may go now. */
    public List<Delivery> poll() {
        Instant now = clock.instant();
        if (Duration.between(lastPoll, now).compareTo(RESTART_GAP) > 0) {
            restart();
        }
        lastPoll = now;
        flush(false);
        if (!rescanning && !now.isBefore(nextRescan)) {
            committedUpTo = store.snapshot().map(fence::advance).orElseGet(openRecordings::committedUpTo);
            rescanBegan = committedUpTo;
            rescanning = true;
            rescanFrom = 0;
            rescanTo = cursor;
            nextRescan = now.plus(RESCAN);
        }
        if (rescanning && rescan()) {
            rescanning = false;
            rescannedAt = rescanBegan;
        }
        lookIntoGaps(now);
        readForward(now);
        synchronized (this) {
            horizon = rescannedAt.isBefore(edge) ? rescannedAt : edge;
            return order.due(horizon, now, concurrency - order.inFlight()).stream().map(e -> new Delivery(sink, e)).toList();
        }
    }

    /** The sink took the event: the interaction's next one, if it may go now (and this reader still polls), or null. */
    synchronized Delivery delivered(RecordedEvent event) {
        if (delivered.isEmpty()) {
            firstDeliveredAt = System.nanoTime();
        }
        delivered.add(event.pk());
        order.done(event, true);
        boolean polling = Duration.between(lastPoll, clock.instant()).compareTo(RESTART_GAP) <= 0;
        RecordedEvent next = polling ? order.next(event.interactionId(), horizon, clock.instant()) : null;
        return next == null ? null : new Delivery(sink, next);
    }

    /** The event was dead-lettered ({@code dead}), or stays pending for later: its interaction is free again. */
    synchronized void finished(RecordedEvent event, boolean dead) {
        order.done(event, dead);
        known.remove(event.pk());
    }

    /** Records what the sink took as delivered: a batch per transaction, at most {@link #FLUSH_BATCH} or 100 ms late. */
    void flush(boolean now) {
        List<Long> batch;
        synchronized (this) {
            if (delivered.isEmpty() || !now && delivered.size() < FLUSH_BATCH
                    && System.nanoTime() - firstDeliveredAt < FLUSH_DELAY_NANOS) {
                return;
            }
            batch = new ArrayList<>(delivered);
            delivered.clear();
        }
        try {
            store.delivered(sink, batch);
        } catch (RuntimeException e) {
            synchronized (this) {
                delivered.addAll(batch); // the next poll tries again
            }
            throw e;
        }
        synchronized (this) {
            batch.forEach(known::remove);
        }
    }

    /**
     * One page of the rescan in progress: the pending pks it has not yet looked at, up to a page, and those of them
     * not held (at most {@link #CHUNK}) read in. True once it has covered every pending pk up to where it began: a
     * page only as long as what the reader holds would miss one committed late above them (the reader holds more
     * than its read-ahead while everything it holds waits for the window).
     */
    private boolean rescan() {
        int page = readAhead + FLUSH_BATCH + CHUNK;
        List<Long> pending = store.pendingBetween(sink, rescanFrom, rescanTo, page);
        List<Long> missing;
        synchronized (this) {
            missing = pending.stream().filter(pk -> !known.contains(pk)).limit(CHUNK).toList();
        }
        hold(store.pending(sink, missing));
        if (missing.size() == CHUNK) {
            rescanFrom = missing.get(CHUNK - 1);
            return false;
        }
        if (pending.size() == page) {
            rescanFrom = pending.get(page - 1);
            return false;
        }
        return true;
    }

    /** Skipped pks committed since, read in; each looked for until its transaction has ended, at most GAP_WAIT. */
    private void lookIntoGaps(Instant now) {
        gaps.values().removeIf(skipped -> Duration.between(skipped, now).compareTo(GAP_WAIT) > 0);
        if (!gaps.isEmpty()) {
            Instant ended = committedUpTo; // every recording stamped before it had ended before this lookup
            hold(store.pending(sink, List.copyOf(gaps.keySet())));
            gaps.values().removeIf(skipped -> skipped.isBefore(ended)); // found now, or never (a duplicate's pk)
        }
    }

    private void readForward(Instant now) {
        int room;
        synchronized (this) {
            room = readAhead - order.size();
            if (room <= 0 && order.inFlight() == 0) {
                room = CHUNK; // everything held waits for its window: read on, the window's end is further ahead
            }
        }
        if (room <= 0) {
            return;
        }
        List<RecordedEvent> rows = store.pendingAfter(sink, cursor, room);
        for (RecordedEvent row : rows) {
            if (row.pk() - cursor - 1 <= MAX_SKIP && cursor > 0) {
                for (long skipped = cursor + 1; skipped < row.pk(); skipped++) {
                    gaps.put(skipped, now);
                }
            }
            cursor = row.pk();
        }
        while (gaps.size() > MAX_GAPS) {
            gaps.pollFirstEntry();
        }
        edge = rows.size() < room ? committedUpTo : rows.get(rows.size() - 1).receivedAt();
        hold(rows);
    }

    private synchronized void hold(List<RecordedEvent> events) {
        for (RecordedEvent event : events) {
            gaps.remove(event.pk());
            if (known.add(event.pk())) {
                order.hold(event);
            }
        }
    }

    /** From the start: forget what waits (another instance may have delivered it meanwhile) and read it again. */
    private synchronized void restart() {
        order.forgetWaiting().forEach(event -> known.remove(event.pk()));
        cursor = 0;
        gaps.clear();
        nextRescan = Instant.EPOCH;
        rescanning = false;
        edge = Instant.EPOCH;
    }

    /** Held by this instance: in flight or waiting. */
    synchronized int held() {
        return order.size();
    }

    synchronized Instant oldestHeld() {
        return order.oldest();
    }

    synchronized long waited() {
        return order.waited();
    }

    synchronized int gapsFollowed() { // skipped pks still looked for at every poll
        return gaps.size();
    }
}
