package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slots DeliveryOrder gives events for the stream resequencer. */
class DeliveryOrderTest {

    final DeliveryOrder order = new DeliveryOrder(Clock.systemUTC());
    long pk;

    RecordedEvent event(String interaction, long orderKey) {
        pk++;
        return new RecordedEvent(pk, "e" + pk, interaction, orderKey, Instant.EPOCH, Instant.EPOCH, 0, pk, "{}");
    }

    @Test
    void should_put_a_late_event_before_a_held_later_one_of_its_interaction() {
        DeliveryOrder.Slot later = order.admit(event("a", 5), 1000);
        DeliveryOrder.Slot other = order.admit(event("b", 1), 1100);
        DeliveryOrder.Slot late = order.admit(event("a", 3), 1500);

        List<DeliveryOrder.Slot> sorted = new ArrayList<>(List.of(other, later, late));
        Collections.sort(sorted);

        assertThat(sorted).containsExactly(late, later, other);
        assertThat(late.anchor()).isEqualTo(1000);
    }

    @Test
    void should_not_let_a_new_interaction_starting_at_sequence_1_overtake_older_events() {
        DeliveryOrder.Slot old = order.admit(event("long-running", 500), 1000);
        DeliveryOrder.Slot fresh = order.admit(event("new", 1), 1200);

        assertThat(old.compareTo(fresh)).isNegative();
    }

    @Test
    void should_keep_an_interaction_in_order_key_order_whatever_the_arrival_order() {
        long now = 0;
        List<DeliveryOrder.Slot> slots = new ArrayList<>();
        for (long key : new long[] {7, 3, 9, 1, 8, 2}) {
            slots.add(order.admit(event("a", key), now += 10));
        }
        Collections.sort(slots);

        assertThat(slots).extracting(DeliveryOrder.Slot::orderKey).containsExactly(1L, 2L, 3L, 7L, 8L, 9L);
    }

    @Test
    void should_forget_an_event_once_released() {
        RecordedEvent first = event("a", 5);
        order.admit(first, 1000);
        order.release(first);

        DeliveryOrder.Slot next = order.admit(event("a", 3), 2000);

        assertThat(next.anchor()).isEqualTo(2000);
        assertThat(order.size()).isEqualTo(1);
    }
}
