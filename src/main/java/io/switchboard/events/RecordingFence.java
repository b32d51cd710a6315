package io.switchboard.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * On PostgreSQL, the time up to which every recording is committed, or rolled back (docs/events.md, "Order"): the
 * reader's horizon without a guessed commit margin. A recording stamps its event with the database clock after its
 * transaction has an id ({@link EventRecorder}). Each poll reads the database time and the transaction ids of its
 * snapshot ({@link DeliveryStore#snapshot}); the time read by one poll precedes the snapshot of the next, so every
 * transaction stamped before it has an id below that snapshot's {@code xmax}. Once the oldest transaction still
 * running ({@code xmin}) is past that id, all of them have ended, and their events are visible to the reads that
 * follow. A transaction that stays open (anywhere in the database server) holds the fence back, at most
 * {@link #MAX_LAG}: then the fence is that far behind the clock, as a commit margin would be.
 */
final class RecordingFence {

    static final Duration MAX_LAG = Duration.ofSeconds(5);

    /** What one poll read: the database time, and its snapshot's oldest running and next transaction id. */
    record Snapshot(Instant at, long xmin, long xmax) {
    }

    private record Mark(Instant at, long xmax) {
    }

    private final Deque<Mark> marks = new ArrayDeque<>();
    private Instant previousAt;
    private Instant passed = Instant.EPOCH;

    /** Notes this poll's snapshot; returns the time up to which every recording has ended. */
    Instant advance(Snapshot snapshot) {
        if (previousAt != null) {
            marks.addLast(new Mark(previousAt, snapshot.xmax()));
        }
        previousAt = snapshot.at();
        while (!marks.isEmpty() && marks.peekFirst().xmax() <= snapshot.xmin()) {
            passed = marks.removeFirst().at();
        }
        Instant floor = snapshot.at().minus(MAX_LAG);
        while (!marks.isEmpty() && marks.peekFirst().at().isBefore(floor)) {
            marks.removeFirst();
        }
        return passed.isAfter(floor) ? passed : floor;
    }
}
