package io.switchboard.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.processor.resequencer.ExpressionResultComparator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Puts recorded events in the order the sinks must see them, for Camel's stream resequencer, and hands them to the
 * sink lanes.
 *
 * <p><b>The next event of an interaction goes at once.</b> When an event's order key is exactly one more than the
 * last key released for its interaction, and nothing of that interaction with a smaller key is held, no event can
 * still belong in front of it: anything with a smaller key would already be late. It goes straight to the lanes,
 * without waiting for the window. This is the common case (CXone numbers an interaction's events 1, 2, 3, ...), so
 * in steady traffic the window only costs anything for an interaction's first event after start-up and for events
 * that really arrive out of order.
 *
 * <p><b>Everything else waits in the resequencer.</b> It orders one stream: it holds every event for the window and
 * releases the head of its sorted sequence once the head's time is up. Ordering simply by order key would be wrong
 * here, because the keys of different interactions have nothing to do with each other: every new CXone interaction
 * starts again at sequence 1, so each new interaction would sort in front of everything held and, under steady
 * traffic, keep older events from ever leaving. So each held event takes a <em>slot</em> {@code (anchor,
 * interactionId, orderKey, pk)} whose anchor is a time: its arrival, or, when an event of the same interaction with
 * a larger order key is still held, that event's anchor, whichever is earlier. Then
 * <ul>
 *   <li>an interaction's held events are always in order-key order (anchors never decrease along its keys), so a
 *       late event that arrives within the window of a later one is released before it;</li>
 *   <li>across interactions events leave in arrival order, each at most about a window after it came in (a late
 *       event borrows an earlier anchor and holds the line behind it for at most its own window).</li>
 * </ul>
 * An event that arrives while its predecessor (order key one less) is still held takes the predecessor's anchor
 * and leaves right after it (see {@link SlotComparator}), so an interaction whose events come faster than the
 * window pays the window once, not for every event.
 * Held events and the last key released per interaction are tracked here: {@link #admit} before the resequencer,
 * {@link #release} after it. Releasing and handing to the lanes happen under one lock, so an event passing at once
 * can never overtake its predecessor on its way out of the resequencer.
 */
@Component
public class DeliveryOrder {

    /** Exchange property carrying the event's {@link Slot}: the resequencer's sequence expression. */
    public static final String SLOT = "SwitchboardEventSlot";

    /** Interactions whose last released key is remembered; the least recently active are forgotten first. */
    static final int REMEMBERED_INTERACTIONS = 50_000;

    /** Where an event stands in the resequencer: compared by anchor, interaction, order key, then pk. */
    public record Slot(long anchor, String interactionId, long orderKey, long pk) implements Comparable<Slot> {

        private static final Comparator<Slot> ORDER = Comparator.comparingLong(Slot::anchor)
                .thenComparing(Slot::interactionId)
                .thenComparingLong(Slot::orderKey)
                .thenComparingLong(Slot::pk);

        @Override
        public int compareTo(Slot other) {
            return ORDER.compare(this, other);
        }
    }

    private record Held(long orderKey, long pk) implements Comparable<Held> {
        @Override
        public int compareTo(Held other) {
            int byKey = Long.compare(orderKey, other.orderKey);
            return byKey != 0 ? byKey : Long.compare(pk, other.pk);
        }
    }

    private final Clock clock;
    private final Consumer<RecordedEvent> lanes;
    private Runnable passedAtOnce = () -> { };
    /** interaction id → its held events (order key, pk) → anchor. Guarded by this. */
    private final Map<String, TreeMap<Held, Long>> held = new HashMap<>();
    /** interaction id → the largest order key released, least recently used first. Guarded by this. */
    private final Map<String, Long> released = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_INTERACTIONS;
        }
    };

    @Autowired
    public DeliveryOrder(Clock clock, SinkLanes lanes, MeterRegistry registry) {
        this(clock, lanes::dispatch);
        Gauge.builder("switchboard.events.resequencer.held", this, DeliveryOrder::size)
                .description("Events held to be put in order").register(registry);
        passedAtOnce = Counter.builder("switchboard.events.order.immediate")
                .description("Events handed to the sinks at once, as the next of their interaction")
                .register(registry)::increment;
    }

    DeliveryOrder(Clock clock, Consumer<RecordedEvent> lanes) {
        this.clock = clock;
        this.lanes = lanes;
    }

    /**
     * Route step before the resequencer: the next event of its interaction goes to the lanes now; any other gets
     * its slot, as property {@link #SLOT}, and waits in the resequencer.
     */
    public void admit(Exchange exchange) {
        RecordedEvent event = exchange.getIn().getBody(RecordedEvent.class);
        Slot slot = admit(event, clock.millis());
        if (slot != null) {
            exchange.setProperty(SLOT, slot);
        }
    }

    /** The event's slot in the resequencer, or null when it went to the lanes at once. */
    synchronized Slot admit(RecordedEvent event, long now) {
        TreeMap<Held, Long> mine = held.get(event.interactionId());
        Long last = released.get(event.interactionId());
        if (last != null && event.orderKey() == last + 1 && (mine == null || mine.firstKey().orderKey() > event.orderKey())) {
            released.put(event.interactionId(), event.orderKey());
            lanes.accept(event);
            passedAtOnce.run();
            return null;
        }
        if (mine == null) {
            mine = new TreeMap<>();
            held.put(event.interactionId(), mine);
        }
        Held key = new Held(event.orderKey(), event.pk());
        long anchor = now;
        Map.Entry<Held, Long> later = mine.higherEntry(key);
        if (later != null) {
            anchor = Math.min(anchor, later.getValue());
        }
        Map.Entry<Held, Long> earlier = mine.lowerEntry(key);
        if (earlier != null && earlier.getKey().orderKey() == event.orderKey() - 1) {
            // right behind its held predecessor: same anchor, so the two sit side by side in the resequencer,
            // which then releases this one together with it (see SlotComparator)
            anchor = Math.min(anchor, earlier.getValue());
        }
        mine.put(key, anchor);
        return new Slot(anchor, event.interactionId(), event.orderKey(), event.pk());
    }

    /** Route step after the resequencer: the event has left; it goes to the lanes. */
    public void release(Exchange exchange) {
        release(exchange.getIn().getBody(RecordedEvent.class));
    }

    synchronized void release(RecordedEvent event) {
        TreeMap<Held, Long> mine = held.get(event.interactionId());
        if (mine != null) {
            mine.remove(new Held(event.orderKey(), event.pk()));
            if (mine.isEmpty()) {
                held.remove(event.interactionId());
            }
        }
        released.merge(event.interactionId(), event.orderKey(), Math::max);
        lanes.accept(event);
    }

    /** Events currently held for ordering. */
    public synchronized int size() {
        return held.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * The stream resequencer's comparator: total order of {@link Slot}s. Two slots are consecutive when they are
     * one interaction's order keys n and n + 1. The resequencer starts no timer for an event whose predecessor it
     * holds right in front of it, and releases it as soon as that predecessor has gone; with equal anchors (see
     * {@link #admit}) an interaction's consecutive events always sit side by side, so a run of them leaves
     * together, one window after the first of them arrived, instead of one window each.
     */
    public static final class SlotComparator implements ExpressionResultComparator {

        @Override
        public void setExpression(Expression expression) {
            // the slot is read from its exchange property directly: no type conversion on every comparison
        }

        @Override
        public boolean predecessor(Exchange o1, Exchange o2) {
            return consecutive(slot(o1), slot(o2));
        }

        @Override
        public boolean successor(Exchange o1, Exchange o2) {
            return consecutive(slot(o2), slot(o1));
        }

        /** Whether {@code second} comes right after {@code first} in its interaction. */
        private static boolean consecutive(Slot first, Slot second) {
            return first.interactionId().equals(second.interactionId()) && second.orderKey() == first.orderKey() + 1;
        }

        @Override
        public boolean isValid(Exchange exchange) {
            return exchange.getProperty(SLOT) instanceof Slot;
        }

        @Override
        public int compare(Exchange o1, Exchange o2) {
            return slot(o1).compareTo(slot(o2));
        }

        private static Slot slot(Exchange exchange) {
            return (Slot) exchange.getProperty(SLOT);
        }
    }
}
