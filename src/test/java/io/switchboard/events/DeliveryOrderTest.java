package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ordering rule of a sink, on a fixed clock: recording times and horizons are given, never read. */
class DeliveryOrderTest {

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final Duration WINDOW = Duration.ofSeconds(1);

    final DeliveryOrder order = new DeliveryOrder(WINDOW, false);
    long pk;

    RecordedEvent event(String interaction, long orderKey, long recordedAtMillis) {
        return seen(interaction, orderKey, recordedAtMillis, recordedAtMillis);
    }

    RecordedEvent seen(String interaction, long orderKey, long recordedAtMillis, long seenAtMillis) {
        pk++;
        return new RecordedEvent(pk, "e" + pk, interaction, orderKey, at(recordedAtMillis), at(seenAtMillis), "{}");
    }

    static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void should_hold_an_interactions_first_event_for_the_window_then_let_it_go() {
        RecordedEvent first = event("a", 1, 0);
        order.hold(first);

        assertThat(order.due(at(999), at(999), 64)).isEmpty();
        assertThat(order.due(at(1000), at(1000), 64)).containsExactly(first);
        assertThat(order.waited()).isEqualTo(1);
    }

    @Test
    void should_send_a_late_event_first_when_it_arrives_within_the_window_of_a_later_one() {
        RecordedEvent later = event("a", 5, 0);
        order.hold(later);
        assertThat(order.due(at(600), at(600), 64)).isEmpty();
        RecordedEvent late = event("a", 3, 700); // recorded 700 ms after key 5: within its window
        order.hold(late);

        assertThat(order.due(at(1000), at(1000), 64)).as("key 3 still waits for its own window").isEmpty();
        assertThat(order.due(at(1700), at(1700), 64)).containsExactly(late);
        order.done(late, true);
        assertThat(order.next("a", at(1700), at(1700))).isEqualTo(later);
    }

    @Test
    void should_pass_the_direct_successor_of_the_last_one_sent_at_once() {
        RecordedEvent first = event("a", 1, 0);
        order.hold(first);
        assertThat(order.due(at(1000), at(1000), 64)).containsExactly(first);
        RecordedEvent second = event("a", 2, 1100);
        RecordedEvent fourth = event("a", 4, 1100);
        order.hold(second);
        order.hold(fourth);

        order.done(first, true);

        assertThat(order.next("a", at(1100), at(1100))).as("2 follows 1 at once").isEqualTo(second);
        order.done(second, true);
        assertThat(order.next("a", at(1100), at(1100))).as("4 is no successor of 2: it waits for 3 or its window").isNull();
        assertThat(order.due(at(2099), at(2099), 64)).isEmpty();
        assertThat(order.due(at(2100), at(2100), 64)).containsExactly(fourth);
        assertThat(order.waited()).isEqualTo(2);
    }

    @Test
    void should_keep_one_event_in_flight_per_interaction_and_at_most_the_concurrency_in_all() {
        for (String interaction : List.of("a", "b", "c")) {
            order.hold(event(interaction, 1, 0));
            order.hold(event(interaction, 2, 0));
        }

        List<RecordedEvent> due = order.due(at(5000), at(5000), 2);

        assertThat(due).hasSize(2).extracting(RecordedEvent::orderKey).containsOnly(1L);
        assertThat(due).extracting(RecordedEvent::interactionId).doesNotHaveDuplicates();
        assertThat(order.due(at(5000), at(5000), 64)).as("only c's first: a and b are in flight")
                .extracting(RecordedEvent::interactionId, RecordedEvent::orderKey).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("c", 1L));
        assertThat(order.inFlight()).isEqualTo(3);
    }

    @Test
    void should_hold_an_event_for_the_window_from_when_the_reader_first_saw_it() {
        RecordedEvent committedLate = seen("a", 7, 0, 1500); // recorded at 0, its transaction visible only at 1500

        order.hold(committedLate);

        assertThat(order.due(at(2499), at(2499), 64)).isEmpty();
        assertThat(order.due(at(2500), at(2500), 64)).containsExactly(committedLate);
    }

    @Test
    void should_not_let_an_interaction_wait_for_another_one() {
        RecordedEvent slow = event("slow", 7, 0);
        RecordedEvent fresh = event("fresh", 1, 0);
        order.hold(slow);
        order.hold(fresh);

        assertThat(order.due(at(1000), at(1000), 64)).containsExactlyInAnyOrder(slow, fresh);
    }

    @Test
    void should_follow_on_after_a_dead_letter_but_not_after_an_event_given_back() {
        RecordedEvent first = event("a", 1, 0);
        RecordedEvent second = event("a", 2, 500);
        order.hold(first);
        order.hold(second);
        assertThat(order.due(at(1000), at(1000), 64)).containsExactly(first);

        order.done(first, false); // given back to the store (shutting down): its successor must not overtake it
        assertThat(order.next("a", at(1000), at(1000))).isNull();

        order.hold(first);
        assertThat(order.due(at(1000), at(1000), 64)).containsExactly(first);
        order.done(first, true); // dead-lettered: the interaction moves on
        assertThat(order.next("a", at(1000), at(1000))).isEqualTo(second);
    }

    @Test
    void should_keep_the_queue_order_with_a_fifo_queue_and_never_wait() {
        DeliveryOrder fifo = new DeliveryOrder(Duration.ZERO, true);
        RecordedEvent first = event("a", 100, 0);
        RecordedEvent second = event("a", 99, 0);
        fifo.hold(second);
        fifo.hold(first);

        assertThat(fifo.due(at(0), at(0), 64)).containsExactly(first);
        fifo.done(first, true);
        assertThat(fifo.next("a", at(0), at(0))).isEqualTo(second);
        assertThat(fifo.waited()).isZero();
    }

    @Test
    void should_forget_what_waits_but_keep_what_is_in_flight() {
        RecordedEvent sending = event("a", 1, 0);
        RecordedEvent waiting = event("a", 2, 0);
        RecordedEvent other = event("b", 1, 5000);
        order.hold(sending);
        order.hold(waiting);
        order.hold(other);
        assertThat(order.due(at(1000), at(1000), 64)).containsExactly(sending);

        assertThat(order.forgetWaiting()).containsExactlyInAnyOrder(waiting, other);

        assertThat(order.size()).isEqualTo(1);
        assertThat(order.oldest()).isEqualTo(sending.receivedAt());
        order.done(sending, true);
        assertThat(order.size()).isZero();
    }
}
