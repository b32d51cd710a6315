package io.switchboard.events;

import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.processor.resequencer.ExpressionResultComparator;
import org.springframework.stereotype.Component;

/**
 * Puts recorded events in the order the sinks must see them, for Camel's stream resequencer.
 *
 * <p>The resequencer orders one stream: it holds every event for the window and releases the head of its sorted
 * sequence once the head's time is up. Ordering simply by order key would be wrong here, because the keys of
 * different interactions have nothing to do with each other: every new CXone interaction starts again at
 * sequence 1, so each new interaction would sort in front of everything held and, under steady traffic, keep
 * older events from ever leaving. So each event takes a <em>slot</em> {@code (anchor, interactionId, orderKey,
 * pk)} whose anchor is a time: its arrival, or, when an event of the same interaction with a larger order key is
 * still held, that event's anchor, whichever is earlier. Then
 * <ul>
 *   <li>an interaction's held events are always in order-key order (anchors never decrease along its keys), so a
 *       late event that arrives within the window of a later one is released before it;</li>
 *   <li>across interactions events leave in arrival order, each at most about a window after it came in (a late
 *       event borrows an earlier anchor and holds the line behind it for at most its own window).</li>
 * </ul>
 * Held events are tracked here by interaction: {@link #admit} before the resequencer, {@link #release} after.
 */
@Component
public class DeliveryOrder {

    /** Exchange property carrying the event's {@link Slot}: the resequencer's sequence expression. */
    public static final String SLOT = "SwitchboardEventSlot";

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
    /** interaction id → its held events (order key, pk) → anchor. Guarded by this. */
    private final Map<String, TreeMap<Held, Long>> held = new HashMap<>();

    public DeliveryOrder(Clock clock) {
        this.clock = clock;
    }

    /** Route step before the resequencer: the event's slot, as property {@link #SLOT}. */
    public void admit(Exchange exchange) {
        RecordedEvent event = exchange.getIn().getBody(RecordedEvent.class);
        exchange.setProperty(SLOT, admit(event, clock.millis()));
    }

    synchronized Slot admit(RecordedEvent event, long now) {
        TreeMap<Held, Long> mine = held.computeIfAbsent(event.interactionId(), id -> new TreeMap<>());
        Held key = new Held(event.orderKey(), event.pk());
        long anchor = now;
        Map.Entry<Held, Long> later = mine.higherEntry(key);
        if (later != null) {
            anchor = Math.min(anchor, later.getValue());
        }
        mine.put(key, anchor);
        return new Slot(anchor, event.interactionId(), event.orderKey(), event.pk());
    }

    /** Route step after the resequencer: the event has left. */
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
    }

    /** Events currently held for ordering. */
    public synchronized int size() {
        return held.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * The stream resequencer's comparator: total order of {@link Slot}s. No two slots are "consecutive"
     * (predecessor/successor are always false), so every event waits for its window: arrival times and order
     * keys have gaps, and only the window can tell that nothing earlier is still on its way.
     */
    public static final class SlotComparator implements ExpressionResultComparator {

        private Expression expression;

        @Override
        public void setExpression(Expression expression) {
            this.expression = expression;
        }

        @Override
        public boolean predecessor(Exchange o1, Exchange o2) {
            return false;
        }

        @Override
        public boolean successor(Exchange o1, Exchange o2) {
            return false;
        }

        @Override
        public boolean isValid(Exchange exchange) {
            return slot(exchange) != null;
        }

        @Override
        public int compare(Exchange o1, Exchange o2) {
            return slot(o1).compareTo(slot(o2));
        }

        private Slot slot(Exchange exchange) {
            return expression.evaluate(exchange, Slot.class);
        }
    }
}
