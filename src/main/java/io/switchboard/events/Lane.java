package io.switchboard.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery lane of one sink: a single thread delivering, one after the other, the events of the interactions
 * hashed to it. One thread per lane keeps each interaction's events in order at the sink; a sink that fails or
 * crawls holds up only its own lanes.
 *
 * <p>A lane is <em>live</em> or in <em>backlog</em>. Live, it takes events from the resequencer into a bounded
 * in-memory queue. When that queue is full (the sink is slow or failing), or at start-up, or when something may
 * have been left behind, the lane switches to backlog: it stops queueing and, once its queue is empty, reads its
 * pending deliveries from the store, per interaction in order-key order, holding an interaction whose next event
 * is younger than the resequence window exactly as the resequencer would. It goes live again when no pending
 * delivery older than the window is left; an event the resequencer still holds then arrives after that moment
 * and is checked against the store first, in case the backlog already delivered it. So memory stays bounded
 * whatever a sink does, and the store, not the queue, is what cannot be lost.
 */
final class Lane implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);
    private static final int CHUNK = 500;
    /**
     * Deliveries are recorded as done in batches, at most this many, at most 200 ms late: each batch is a commit,
     * and a crash repeats at most these (with the same X-Event-Id).
     */
    private static final int MARK_BATCH = 100;
    private static final long MARK_DELAY_NANOS = Duration.ofMillis(200).toNanos();
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration FIFO_POLL = Duration.ofMillis(100);

    final String sink;
    final int index;
    private final BlockingQueue<RecordedEvent> queue;
    private final EventStore store;
    private final SinkDelivery delivery;
    private final Duration window;
    private final Clock clock;
    private final Instant startedAt;
    /** FIFO queue: the lane only ever reads the store, in recording order (see {@link EventStore#record}). */
    private final boolean fifo;
    /** Delivered, not yet recorded as such: what a crash now would deliver again (same X-Event-Id). */
    private final List<EventStore.Delivered> marks = new ArrayList<>();
    private long firstMarkAt;

    private final Object gate = new Object();
    /** Guarded by {@link #gate}. Starts true: recover what a previous run left pending. */
    private boolean backlog = true;
    /**
     * Guarded by {@link #gate}: the latest recording time of an event offered while in backlog. Such an event may
     * have passed the resequencer at once (the next of its interaction), so younger than the window: the lane
     * goes live only once nothing recorded up to here is pending.
     */
    private Instant leftToBacklog = Instant.EPOCH;
    /** Events recorded up to this ticket may have been delivered from the backlog: check before delivering. */
    private volatile long checkUpTo = Long.MAX_VALUE;
    private volatile boolean running = true;

    Lane(String sink, int index, int capacity, EventStore store, SinkDelivery delivery, Duration window, Clock clock,
         Instant startedAt, boolean fifo) {
        this.fifo = fifo;
        this.sink = sink;
        this.index = index;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.store = store;
        this.delivery = delivery;
        this.window = window;
        this.clock = clock;
        this.startedAt = startedAt;
    }

    /** In order, from {@link DeliveryOrder}: queue the event, unless the lane is in backlog (then the store has it anyway). */
    void offer(RecordedEvent event) {
        synchronized (gate) {
            if (!backlog && queue.offer(event)) {
                return;
            }
            if (!backlog) {
                backlog = true;
                LOG.info("Sink {} lane {}: {} deliveries queued; reading further ones from the store until it catches up",
                        sink, index, queue.size());
            }
            // left to the backlog: it must not go live while this one is still pending, young as it may be. A
            // millisecond more, because the database stores the recording time rounded (to microseconds)
            Instant recorded = event.receivedAt().plusMillis(1);
            if (recorded.isAfter(leftToBacklog)) {
                leftToBacklog = recorded;
            }
        }
    }

    /** Something may be pending that no queue holds (an adopted instance's events, a redrive): look in the store. */
    void toBacklog() {
        synchronized (gate) {
            backlog = true;
        }
    }

    boolean inBacklog() {
        synchronized (gate) {
            return backlog;
        }
    }

    int queued() {
        return queue.size();
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                step();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the store is unreachable, most likely: start over from the store once it answers again
                LOG.warn("Sink {} lane {}: {}; retrying from the store in a second", sink, index, e.toString());
                marks.clear(); // not recorded as delivered: they will be delivered again (same X-Event-Id)
                synchronized (gate) {
                    backlog = true;
                    queue.clear();
                }
                pause(Duration.ofSeconds(1));
            }
        }
        flushMarksQuietly();
    }

    private void step() throws InterruptedException {
        RecordedEvent next = queue.poll(inBacklog() ? 0 : pollWait(), TimeUnit.NANOSECONDS);
        if (next != null) {
            deliverQueued(next);
            if (marksDue()) {
                flushMarks();
            }
        } else {
            flushMarks();
            if (inBacklog()) {
                drainBacklog();
            }
        }
    }

    private void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliverQueued(RecordedEvent event) {
        if (event.ticket() <= checkUpTo && !store.isPending(event.pk(), sink)) {
            return; // delivered from the backlog while the resequencer still held it
        }
        deliver(event);
    }

    /** Delivers one event; false if it is still pending afterwards (the store or the shutdown got in the way). */
    private boolean deliver(RecordedEvent event) {
        SinkDelivery.Result result = delivery.deliver(sink, event);
        switch (result.outcome()) {
            case DELIVERED -> {
                if (marks.isEmpty()) {
                    firstMarkAt = System.nanoTime();
                }
                marks.add(new EventStore.Delivered(event.pk(), sink, result.attempts()));
            }
            case DEAD -> { }
            case PENDING -> {
                // the store hands it out again, and what is queued behind it too, so that it keeps its place
                synchronized (gate) {
                    backlog = true;
                    queue.clear();
                }
                return false;
            }
        }
        return true;
    }

    /** One round of the backlog: deliver what is ripe, or go live when nothing ripe is left. */
    private void drainBacklog() {
        Instant ripe = clock.instant().minus(window);
        List<RecordedEvent> pending = store.pendingForLane(sink, index, CHUNK);
        Set<String> waiting = new HashSet<>();
        int delivered = 0;
        for (RecordedEvent event : pending) {
            if (!running) {
                return;
            }
            if (waiting.contains(event.interactionId())) {
                continue;
            }
            if (!fifo && event.receivedAt().isAfter(ripe)) {
                waiting.add(event.interactionId()); // an earlier event of it may still arrive: wait like the resequencer
                continue;
            }
            if (!deliver(event)) {
                flushMarks();
                pause(Duration.ofSeconds(1));
                return;
            }
            delivered++;
            if (marksDue()) {
                flushMarks();
            }
        }
        flushMarks();
        if (delivered > 0) {
            return;
        }
        if (fifo) {
            pause(FIFO_POLL); // other instances may record events this one delivers: it never goes live
            return;
        }
        synchronized (gate) {
            // Every event the resequencer released was recorded at least a window ago, so if none of those is
            // pending, nothing skipped while in backlog is left; younger ones are still in the resequencer and
            // will be offered. Not so an event that passed at once (the next of its interaction) and was offered
            // while in backlog, nor what an earlier run recorded: those must all go from here, however young.
            // Checked under the gate: no offer slips past.
            Instant ripeNow = clock.instant().minus(window);
            Instant cutoff = ripeNow.isAfter(startedAt) ? ripeNow : startedAt;
            if (leftToBacklog.isAfter(cutoff)) {
                cutoff = leftToBacklog;
            }
            if (!store.hasPendingRecordedBefore(sink, index, cutoff)) {
                backlog = false;
                checkUpTo = store.currentTicket();
                return;
            }
        }
        // ripe deliveries wait behind a younger event of their interaction (or beyond this chunk): give it time
        pause(Duration.ofMillis(Math.max(10, Math.min(window.toMillis() / 4, 250))));
    }

    /** How long to wait for the next queued event: until the marks are due, if there are any. */
    private long pollWait() {
        if (marks.isEmpty()) {
            return IDLE_POLL.toNanos();
        }
        return Math.max(0, MARK_DELAY_NANOS - (System.nanoTime() - firstMarkAt));
    }

    private boolean marksDue() {
        return marks.size() >= MARK_BATCH || (!marks.isEmpty() && System.nanoTime() - firstMarkAt >= MARK_DELAY_NANOS);
    }

    private void flushMarks() {
        if (!marks.isEmpty()) {
            store.markDelivered(marks);
            marks.clear();
        }
    }

    private void flushMarksQuietly() {
        try {
            flushMarks();
        } catch (RuntimeException e) {
            LOG.warn("Sink {} lane {}: could not record {} delivery(ies) as done; they will be delivered again", sink,
                    index, marks.size(), e);
        }
    }
}
