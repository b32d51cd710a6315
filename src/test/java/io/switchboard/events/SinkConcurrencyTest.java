package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A slow sink gets one request in flight per interaction, across as many interactions at once as
 * {@code events.sink-concurrency} allows (docs/events.md, "Deliver"): slow answers cost time, not throughput.
 */
class SinkConcurrencyTest extends EventsTestBase {

    /** More interactions than the 20 connections per host an HTTP client pool allows unless told otherwise. */
    private static final int INTERACTIONS = 40;

    @Test
    void should_have_a_request_in_flight_for_every_waiting_interaction_and_only_one_each() {
        List<String> interactions = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        Map<String, Long> sequenceOf = new HashMap<>();
        for (int i = 0; i < INTERACTIONS; i++) {
            interactions.add(UUID.randomUUID().toString());
        }
        for (int k = 1; k <= 2; k++) {
            for (String interaction : interactions) {
                String id = UUID.randomUUID().toString();
                sequenceOf.put(id, (long) k);
                bodies.add(json(cxoneEvent(id, interaction, "Connected", k)));
            }
        }
        SINKS.hold("analytics", Duration.ofSeconds(3));

        publish(bodies);

        // every interaction's first event is at the sink at once; its second waits for the first's answer
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SINKS.peakHeld("analytics"))
                .as("requests held open at once").isGreaterThanOrEqualTo(INTERACTIONS));
        SINKS.release("analytics");
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(ours(SINKS.delivered(sink), interactions)).hasSize(2 * INTERACTIONS);
            }
        });
        assertThat(SINKS.peakHeld("analytics")).as("one request in flight per interaction").isEqualTo(INTERACTIONS);
        for (String sink : RecordingSinks.NAMES) {
            Map<String, Long> last = new HashMap<>();
            for (RecordingSinks.Request request : ours(SINKS.delivered(sink), interactions)) {
                long sequence = sequenceOf.get(request.eventId());
                assertThat(last.put(request.interactionId(), sequence)).as("%s: %s", sink, request.interactionId())
                        .isEqualTo(sequence == 1 ? null : sequence - 1);
            }
        }
    }

    private static List<RecordingSinks.Request> ours(List<RecordingSinks.Request> requests, List<String> interactions) {
        return requests.stream().filter(r -> interactions.contains(r.interactionId())).toList();
    }
}
