package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slots DeliveryOrder gives events for the stream resequencer, and the events it lets pass at once. */
class DeliveryOrderTest {

    final List<RecordedEvent> dispatched = new ArrayList<>();
    final DeliveryOrder order = new DeliveryOrder(Clock.systemUTC(), dispatched::add);
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

    @Test
    void should_hold_the_first_event_of_an_interaction_it_knows_nothing_about() {
        assertThat(order.admit(event("a", 1), 1000)).isNotNull();
        assertThat(dispatched).isEmpty();
    }

    @Test
    void should_let_the_next_event_of_an_interaction_pass_at_once() {
        RecordedEvent first = event("a", 1);
        order.admit(first, 1000);
        order.release(first);
        RecordedEvent second = event("a", 2);
        RecordedEvent third = event("a", 3);

        assertThat(order.admit(second, 1010)).isNull();
        assertThat(order.admit(third, 1020)).isNull();
        assertThat(dispatched).containsExactly(first, second, third);
        assertThat(order.size()).isZero();
    }

    @Test
    void should_hold_an_event_after_a_gap_and_what_comes_after_it() {
        RecordedEvent first = event("a", 1);
        order.admit(first, 1000);
        order.release(first);

        assertThat(order.admit(event("a", 3), 1010)).isNotNull(); // 2 may still come
        assertThat(order.admit(event("a", 4), 1020)).isNotNull(); // behind 3, which is held
        assertThat(dispatched).containsExactly(first);
    }

    @Test
    void should_let_a_missing_event_pass_at_once_while_its_successor_waits_for_its_window() {
        RecordedEvent first = event("a", 1);
        order.admit(first, 1000);
        order.release(first);
        RecordedEvent third = event("a", 3);
        order.admit(third, 1010);

        RecordedEvent second = event("a", 2);
        assertThat(order.admit(second, 1020)).isNull();
        order.release(third);

        assertThat(dispatched).containsExactly(first, second, third);
    }

    @Test
    void should_not_let_an_event_pass_when_a_smaller_key_of_its_interaction_is_held() {
        RecordedEvent five = event("a", 5);
        order.admit(five, 1000);
        order.release(five);
        order.admit(event("a", 4), 1010); // late: held, released after its window

        assertThat(order.admit(event("a", 6), 1020)).isNotNull();
    }

    @Test
    void should_keep_the_largest_key_released_when_a_late_event_leaves() {
        RecordedEvent five = event("a", 5);
        order.admit(five, 1000);
        order.release(five);
        RecordedEvent late = event("a", 2);
        order.admit(late, 1010);
        order.release(late);

        assertThat(order.admit(event("a", 6), 1020)).isNull();
        assertThat(order.admit(event("a", 3), 1030)).isNotNull();
    }

    @Test
    void should_put_an_event_right_behind_its_held_predecessor() {
        DeliveryOrder.Slot first = order.admit(event("a", 1), 1000);
        DeliveryOrder.Slot other = order.admit(event("b", 7), 1100);
        DeliveryOrder.Slot second = order.admit(event("a", 2), 1300);

        assertThat(second.anchor()).isEqualTo(first.anchor());
        List<DeliveryOrder.Slot> sorted = new ArrayList<>(List.of(other, second, first));
        Collections.sort(sorted);
        assertThat(sorted).containsExactly(first, second, other);
    }
}
