package io.switchboard.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The ordering rule of one sink (docs/events.md, "Order"), over the events its reader holds. Not thread-safe: the
 * reader guards it. Per interaction the held events are sorted by order key (then recording order; with a FIFO queue
 * by recording order alone), and only the first may go, only while none of the interaction's is in flight. It goes
 * <ul>
 *   <li>at once when it is the direct successor of the last one sent (order key one more: CXone numbers an
 *       interaction's events 1, 2, 3, ...), or with a FIFO queue (its order is the queue's);</li>
 *   <li>otherwise once it was recorded at least the window before the {@code horizon}, the time up to which the
 *       reader has seen everything recorded, and the reader has held it for the window: an earlier event that
 *       arrives late, but within the window, is then held too, and goes first.</li>
 * </ul>
 */
final class DeliveryOrder {

    /** Interactions whose last sent order key is remembered; the least recently active are forgotten first. */
    static final int REMEMBERED_INTERACTIONS = 50_000;

    private final Duration window;
    private final boolean fifo;
    private final Comparator<RecordedEvent> order;
    /** interaction id → its held events, including the one in flight. */
    private final Map<String, TreeSet<RecordedEvent>> held = new HashMap<>();
    /** interaction id → its event in flight. */
    private final Map<String, RecordedEvent> inFlight = new HashMap<>();
    private final Map<String, Long> lastSent = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_INTERACTIONS;
        }
    };
    private int size;
    private long waited;

    DeliveryOrder(Duration window, boolean fifo) {
        this.window = window;
        this.fifo = fifo;
        Comparator<RecordedEvent> byPk = Comparator.comparingLong(RecordedEvent::pk);
        this.order = fifo ? byPk : Comparator.comparingLong(RecordedEvent::orderKey).thenComparing(byPk);
    }

    /** Holds a recorded event until it may go. */
    void hold(RecordedEvent event) {
        if (held.computeIfAbsent(event.interactionId(), id -> new TreeSet<>(order)).add(event)) {
            size++;
        }
    }

    /** Events that may go now, at most {@code max}, each of another interaction; they are in flight until {@link #done}. */
    List<RecordedEvent> due(Instant horizon, Instant now, int max) {
        List<RecordedEvent> due = new ArrayList<>();
        for (Map.Entry<String, TreeSet<RecordedEvent>> entry : held.entrySet()) {
            if (due.size() >= max) {
                break;
            }
            RecordedEvent first = entry.getValue().first();
            if (!inFlight.containsKey(entry.getKey()) && mayGo(first, horizon, now)) {
                inFlight.put(entry.getKey(), first);
                due.add(first);
            }
        }
        return due;
    }

    /**
     * The event in flight has been delivered or dead-lettered ({@code sent}: its successor may follow at once), or
     * given back to the store: its interaction is free again.
     */
    void done(RecordedEvent event, boolean sent) {
        String interaction = event.interactionId();
        inFlight.remove(interaction);
        TreeSet<RecordedEvent> mine = held.get(interaction);
        if (mine != null && mine.remove(event)) {
            size--;
        }
        if (mine != null && mine.isEmpty()) {
            held.remove(interaction);
        }
        if (sent) {
            lastSent.merge(interaction, event.orderKey(), Math::max);
        }
    }

    /** The interaction's next event if it may go now (it is then in flight), else null. */
    RecordedEvent next(String interaction, Instant horizon, Instant now) {
        TreeSet<RecordedEvent> mine = held.get(interaction);
        if (mine == null || inFlight.containsKey(interaction) || !mayGo(mine.first(), horizon, now)) {
            return null;
        }
        inFlight.put(interaction, mine.first());
        return mine.first();
    }

    /** Forgets the held events not in flight (the reader reads them again from the store); returns them. */
    List<RecordedEvent> forgetWaiting() {
        List<RecordedEvent> forgotten = new ArrayList<>();
        held.entrySet().removeIf(entry -> {
            RecordedEvent sending = inFlight.get(entry.getKey());
            entry.getValue().stream().filter(event -> event != sending).forEach(forgotten::add);
            entry.getValue().removeIf(event -> event != sending);
            return entry.getValue().isEmpty();
        });
        size -= forgotten.size();
        return forgotten;
    }

    private boolean mayGo(RecordedEvent first, Instant horizon, Instant now) {
        if (fifo) {
            return true;
        }
        Long last = lastSent.get(first.interactionId());
        if (last != null && first.orderKey() == last + 1) {
            return true;
        }
        if (first.receivedAt().plus(window).isAfter(horizon) || first.seenAt().plus(window).isAfter(now)) {
            return false;
        }
        waited++;
        return true;
    }

    /** Events held, in flight or waiting. */
    int size() {
        return size;
    }

    /** Interactions with an event in flight. */
    int inFlight() {
        return inFlight.size();
    }

    /** The earliest recording time among the held events, or null. */
    Instant oldest() {
        return held.values().stream().flatMap(TreeSet::stream).map(RecordedEvent::receivedAt)
                .min(Comparator.naturalOrder()).orElse(null);
    }

    /** Events that went only after waiting out the window (not the direct successor of the last one sent). */
    long waited() {
        return waited;
    }
}
