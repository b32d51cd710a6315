package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The resequence window only costs anything when it can matter: once an interaction's event has gone out, its
 * next one (order key one more) goes to the sinks without waiting, in order; after a gap the window applies again.
 */
class EventOrderTest extends EventsTestBase {

    @Test
    void should_pass_the_next_event_of_an_interaction_at_once_and_hold_one_after_a_gap() {
        String interaction = newId("steady");
        String first = newId("e1");
        String second = newId("e2");
        String afterGap = newId("e4");
        String missing = newId("e3");

        publish(json(cxoneEvent(first, interaction, "Queued", 1)));
        awaitAtEverySink(first);
        double waitedBefore = counter("switchboard.events.order.waited");

        publish(json(cxoneEvent(second, interaction, "Offered", 2)));
        awaitAtEverySink(second);
        assertThat(counter("switchboard.events.order.waited") - waitedBefore).as("the successor waits for nothing")
                .isZero();

        // 4 and 3 together: whichever is recorded first, 3 goes out before 4 (4 waits for 3 or for its window)
        publish(List.of(json(cxoneEvent(afterGap, interaction, "Connected", 4)),
                json(cxoneEvent(missing, interaction, "Connected", 3))));
        awaitAtEverySink(afterGap);

        for (String sink : RecordingSinks.NAMES) {
            assertThat(SINKS.delivered(sink).stream().filter(r -> interaction.equals(r.interactionId()))
                    .map(RecordingSinks.Request::eventId).toList())
                    .as("order at %s", sink)
                    .containsExactly(first, second, missing, afterGap);
        }
    }

    private void awaitAtEverySink(String eventId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink)).extracting(RecordingSinks.Request::eventId).contains(eventId);
            }
        });
    }
}
