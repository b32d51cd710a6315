package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

    final EventFeed feed = EventFeed.distinct(9, 4, 2); // events 0,2 → interaction 0 (seq 1, 2); 1,3 → interaction 1
    final DeliveryLedger ledger = new DeliveryLedger(feed, 3);

    void deliver(int sink, int event, long at) {
        ledger.received(sink, event, feed.interactionId(event), feed.envelope(event).hashCode(), at);
    }

    @Test
    void should_complete_an_event_when_every_sink_has_it_and_measure_from_its_send() {
        ledger.sent(0, 1_000);
        deliver(0, 0, 2_000);
        deliver(1, 0, 3_000);
        assertThat(ledger.complete()).isZero();

        deliver(2, 0, 5_000);

        assertThat(ledger.complete()).isEqualTo(1);
        assertThat(ledger.completionLatencies(0, Long.MAX_VALUE)).containsExactly(4_000L);
        assertThat(ledger.sinkLatencies(0, 0, Long.MAX_VALUE)).containsExactly(1_000L);
        assertThat(ledger.lostPerSink()).containsExactly(3, 3, 3);
    }

    @Test
    void should_count_repeats_changed_repeats_order_violations_and_wrong_headers() {
        deliver(0, 2, 1);   // interaction 0, sequence 2
        deliver(0, 0, 2);   // interaction 0, sequence 1: out of order
        deliver(0, 2, 3);   // a repeat, same body
        ledger.received(0, 2, feed.interactionId(2), 42, 4); // a repeat with another body
        ledger.received(1, 1, "someone-else", 1, 5);

        assertThat(ledger.orderViolations()).isEqualTo(1);
        assertThat(ledger.repeats()).isEqualTo(2);
        assertThat(ledger.changedRepeats()).isEqualTo(1);
        assertThat(ledger.wrongInteraction()).isEqualTo(1);
    }

    @Test
    void should_tell_repeats_of_events_in_flight_at_a_kill_from_repeats_of_delivered_ones() {
        for (int sink = 0; sink < 3; sink++) {
            deliver(sink, 0, 1);
        }
        deliver(0, 1, 2);
        boolean[] completeAtKill = ledger.completeNow();

        deliver(0, 0, 3); // event 0 had reached every sink: its delivery was not yet acknowledged
        deliver(0, 1, 4); // event 1 was in flight
        deliver(1, 1, 5);
        deliver(2, 1, 6);

        DeliveryLedger.Repeats repeats = ledger.repeatsAfterKill(completeAtKill);
        assertThat(repeats.ofDelivered()).isEqualTo(1);
        assertThat(repeats.ofInFlight()).isEqualTo(1);
        assertThat(repeats.events()).isEqualTo(2);
    }
}
