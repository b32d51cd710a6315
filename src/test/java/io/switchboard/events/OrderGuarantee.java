package io.switchboard.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order guarantee of docs/events.md ("Order"), as a check of what one sink received: an event reaches a sink
 * after a later event of its interaction only if it was recorded more than the window after the first of those later
 * events to go (that one went because the window had passed without it; the later ones followed it as its direct
 * successors). Used by the tests ({@link RecordingSinks#assertInOrderBarLateOnes}) and by the events benchmark, which
 * judges its drains by the same rule.
 */
public final class OrderGuarantee {

    /** One delivery a sink took: the event, its interaction and order key, and when Switchboard recorded it. */
    public record Delivered(String eventId, String interactionId, long orderKey, Instant recordedAt) {
    }

    /**
     * A delivery that came after a later event of its interaction: {@code overtaker} is the first of those to go,
     * {@code gap} how long after it {@code late} was recorded. {@code allowed}: more than the window.
     */
    public record Overtaken(Delivered late, Delivered overtaker, Duration gap, boolean allowed) {
    }

    private final Duration window;
    /** interaction id → its deliveries so far, in arrival order. */
    private final Map<String, List<Delivered>> sent = new HashMap<>();

    /** A check of one sink's deliveries, fed in arrival order ({@link #next}). */
    public OrderGuarantee(Duration window) {
        this.window = window;
    }

    /** Every delivery that came after a later one of its interaction, judged; deliveries in arrival order. */
    public static List<Overtaken> overtaken(List<Delivered> arrivalOrder, Duration window) {
        OrderGuarantee check = new OrderGuarantee(window);
        List<Overtaken> overtaken = new ArrayList<>();
        for (Delivered delivered : arrivalOrder) {
            Overtaken judged = check.next(delivered);
            if (judged != null) {
                overtaken.add(judged);
            }
        }
        return overtaken;
    }

    /** The sink took the next delivery: null if no later event of its interaction went before it, else the verdict. */
    public Overtaken next(Delivered delivered) {
        List<Delivered> before = sent.computeIfAbsent(delivered.interactionId(), id -> new ArrayList<>());
        Overtaken judged = null;
        for (Delivered earlier : before) {
            if (earlier.orderKey() > delivered.orderKey()) {
                Duration gap = Duration.between(earlier.recordedAt(), delivered.recordedAt());
                judged = new Overtaken(delivered, earlier, gap, gap.compareTo(window) > 0);
                break;
            }
        }
        before.add(delivered);
        return judged;
    }
}
