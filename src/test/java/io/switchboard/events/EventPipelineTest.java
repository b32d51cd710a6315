package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.platform.deadletter.DeadLetter;
import io.switchboard.test.Api;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The acceptance run of the pipeline over the embedded SQS server: 2,000 events over 20 interactions (CXone with
 * and without sequence numbers, Genesys Cloud), each interaction's events shuffled, 10 % duplicates and a handful
 * of invalid messages.
 */
class EventPipelineTest extends EventsTestBase {

    static final int INTERACTIONS = 20;
    static final int EVENTS_PER_INTERACTION = 100;
    static final int CHUNK = 5;
    static final long WINDOW_MILLIS = 2000; // events.resequence-window of EventsTestBase

    /** One valid event: its id, interaction and the key the sinks must see it in order of. */
    record Sent(String id, String interactionId, long orderKey, String body) {
    }

    @Test
    void should_deliver_every_valid_event_once_to_each_sink_in_order_and_dead_letter_the_invalid_ones() {
        Random random = new Random(6);
        double receivedBefore = counter("switchboard.events.received");
        double duplicatesBefore = counter("switchboard.events.duplicates");
        double invalidBefore = counter("switchboard.events.invalid");
        Map<String, Double> deliveredBefore = new HashMap<>();
        RecordingSinks.NAMES.forEach(sink -> deliveredBefore.put(sink,
                counter("switchboard.events.delivered", "sink", sink)));

        List<List<Sent>> interactions = new ArrayList<>();
        for (int i = 0; i < INTERACTIONS; i++) {
            interactions.add(interaction(i));
        }
        Map<String, Sent> valid = new LinkedHashMap<>();
        interactions.forEach(events -> events.forEach(e -> valid.put(e.id(), e)));

        // Each interaction's events leave in chunks of five, shuffled within the chunk; the chunks of all
        // interactions interleave at random; every tenth message is a duplicate of one already sent.
        List<String> messages = new ArrayList<>();
        List<Sent> sentSoFar = new ArrayList<>();
        for (int chunk = 0; chunk < EVENTS_PER_INTERACTION / CHUNK; chunk++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < INTERACTIONS; i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            for (int i : order) {
                List<Sent> part = new ArrayList<>(interactions.get(i).subList(chunk * CHUNK, (chunk + 1) * CHUNK));
                Collections.shuffle(part, random);
                for (Sent event : part) {
                    messages.add(event.body());
                    sentSoFar.add(event);
                    if (sentSoFar.size() % 10 == 0) {
                        messages.add(sentSoFar.get(random.nextInt(sentSoFar.size())).body());
                    }
                }
            }
        }
        List<String> invalid = invalidMessages();
        for (int i = 0; i < invalid.size(); i++) {
            messages.add(300 * (i + 1), invalid.get(i));
        }
        assertThat(messages).hasSize(2000 + 200 + invalid.size());

        publish(messages);

        Set<String> ours = new HashSet<>();
        interactions.forEach(events -> ours.add(events.get(0).interactionId()));
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink).stream().filter(r -> ours.contains(r.interactionId())).count())
                        .as("deliveries to %s", sink).isGreaterThanOrEqualTo(valid.size());
            }
        });
        for (String sink : RecordingSinks.NAMES) {
            List<RecordingSinks.Request> delivered = SINKS.delivered(sink).stream()
                    .filter(r -> ours.contains(r.interactionId())).toList();
            assertThat(delivered).extracting(RecordingSinks.Request::eventId)
                    .as("every valid event exactly once at %s", sink)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(valid.keySet());
            assertDeliveredInOrderWithinTheWindow(sink, delivered, valid);
        }

        List<DeadLetter> deadLetters = deadLettersOf("events-invalid").stream()
                .filter(letter -> invalid.contains(letter.rawPayload())).toList();
        assertThat(deadLetters).hasSize(invalid.size());
        assertThat(deadLetters).extracting(DeadLetter::reason).anySatisfy(reason -> assertThat(reason)
                .contains("detail.stage"));
        assertThat(deadLetters).extracting(DeadLetter::reason).anySatisfy(reason -> assertThat(reason)
                .contains("not valid JSON"));
        assertThat(deadLetters).extracting(DeadLetter::reason).anySatisfy(reason -> assertThat(reason)
                .contains("interaction.id").contains("64"));

        await().atMost(Duration.ofSeconds(30)).until(() -> messagesInQueue() == 0);
        assertThat(counter("switchboard.events.received") - receivedBefore).isEqualTo(messages.size());
        assertThat(counter("switchboard.events.duplicates") - duplicatesBefore).isEqualTo(200);
        assertThat(counter("switchboard.events.invalid") - invalidBefore).isEqualTo(invalid.size());
        for (String sink : RecordingSinks.NAMES) {
            assertThat(counter("switchboard.events.delivered", "sink", sink) - deliveredBefore.get(sink))
                    .isEqualTo(valid.size());
            assertThat(meters.find("switchboard.events.sink.latency").tag("sink", sink).timer().count())
                    .isGreaterThanOrEqualTo(valid.size());
        }

        String genesys = interactions.get(INTERACTIONS - 1).get(0).interactionId();
        Api.Response replay = api.get("/api/events/replay?limit=500&interactionId=" + genesys);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().path("total").asLong()).isEqualTo(EVENTS_PER_INTERACTION);
        List<String> replayed = new ArrayList<>();
        replay.json().path("events").forEach(event -> replayed.add(event.path("id").asText()));
        assertThat(replayed).containsExactlyElementsOf(
                interactions.get(INTERACTIONS - 1).stream().map(Sent::id).toList());
    }

    /**
     * The guarantee (docs/events.md, "Order"), checked by {@link RecordingSinks#assertInOrderBarLateOnes}. With this
     * test's traffic the events of a chunk are recorded well within the window of each other, so in practice
     * everything arrives in order; on a machine loaded enough to spread a chunk over more than the window, what is
     * late beyond the window is allowed to be late. (Recorded times are taken a little before the reader sees an
     * event, hence the small tolerance.)
     */
    private void assertDeliveredInOrderWithinTheWindow(String sink, List<RecordingSinks.Request> delivered,
                                                       Map<String, Sent> valid) {
        Map<String, Instant> recorded = new HashMap<>();
        jdbc.sql("SELECT event_id, received_at FROM events").query((rs, row) -> recorded.put(rs.getString(1),
                rs.getObject(2, java.time.OffsetDateTime.class).toInstant())).list();
        Map<String, Long> orderKeyOf = new HashMap<>();
        for (RecordingSinks.Request request : delivered) {
            Sent event = valid.get(request.eventId());
            assertThat(request.interactionId()).isEqualTo(event.interactionId());
            assertThat(request.body()).isEqualTo(event.body());
            orderKeyOf.put(event.id(), event.orderKey());
        }
        int late = SINKS.assertInOrderBarLateOnes(sink, orderKeyOf, recorded, Duration.ofMillis(WINDOW_MILLIS - 250));
        System.out.printf("%s: %d event(s) delivered out of order because they were recorded more than the window"
                + " after a later one%n", sink, late);
    }

    /**
     * Interaction {@code i}'s events in the order the sinks must see them: CXone with {@code detail.sequence}
     * (0..9), CXone ordered by {@code time} (10..14), Genesys Cloud ordered by {@code eventBody.eventTime}.
     */
    private static List<Sent> interaction(int i) {
        String interactionId = UUID.randomUUID().toString();
        Instant start = Instant.parse("2025-03-01T09:00:00Z").plusSeconds(i * 1000L);
        String[] stages = {"Queued", "Offered", "Connected", "WrapUp", "Closed"};
        List<Sent> events = new ArrayList<>();
        for (int k = 0; k < EVENTS_PER_INTERACTION; k++) {
            String id = UUID.randomUUID().toString();
            Instant time = start.plusSeconds(k);
            ObjectNode event;
            long orderKey;
            if (i < 10) {
                event = cxoneEvent(id, interactionId, stages[k % stages.length], k + 1);
                event.put("time", start.toString()); // all in the same second: only the sequence orders them
                orderKey = k + 1;
            } else if (i < 15) {
                event = cxoneEvent(id, interactionId, stages[k % stages.length], null);
                event.put("time", time.toString());
                orderKey = time.toEpochMilli();
            } else {
                event = genesysEvent(id, interactionId, time.toEpochMilli() + 7);
                orderKey = time.toEpochMilli() + 7;
            }
            events.add(new Sent(id, interactionId, orderKey, json(event)));
        }
        return events;
    }

    static ObjectNode genesysEvent(String id, String conversationId, long eventTime) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", "v2.detail.events.conversation.{id}.customer.start");
        event.put("source", "aws.partner/genesys.com/cloud/32aa07aa-db1b-4987-abd0-9483601ec29d/switchboard");
        event.put("account", "123456789012");
        event.put("time", Instant.ofEpochMilli(eventTime).toString());
        event.put("region", "us-east-1");
        event.putArray("resources");
        ObjectNode detail = event.putObject("detail");
        detail.put("topicName", "v2.detail.events.conversation." + conversationId + ".customer.start");
        detail.put("version", "2");
        ObjectNode body = detail.putObject("eventBody");
        body.put("eventTime", eventTime);
        body.put("conversationId", conversationId);
        body.put("mediaType", "CHAT");
        detail.putObject("metadata").put("CorrelationId", UUID.randomUUID().toString());
        return event;
    }

    /** Messages no pipeline should accept, each different (so each is told apart in the dead letters). */
    private static List<String> invalidMessages() {
        String marker = UUID.randomUUID().toString();
        ObjectNode badStage = cxoneEvent("bad-stage-" + marker, "i-" + marker, "Dancing", 1);
        ObjectNode noInteraction = cxoneEvent("no-interaction-" + marker, "x", "Queued", 1);
        ((ObjectNode) noInteraction.path("detail")).remove("interaction.id");
        ObjectNode longInteraction = cxoneEvent("long-" + marker, "i".repeat(65), "Queued", 1);
        ObjectNode genesysNoTopic = genesysEvent("no-topic-" + marker, marker, 1700000000000L);
        ((ObjectNode) genesysNoTopic.path("detail")).remove("topicName");
        ObjectNode badSequence = cxoneEvent("bad-sequence-" + marker, "i-" + marker, "Queued", null);
        ((ObjectNode) badSequence.path("detail")).put("sequence", "first");
        ObjectNode noTime = cxoneEvent("no-time-" + marker, "i-" + marker, "Queued", 1);
        noTime.remove("time");
        return List.of(json(badStage), json(noInteraction), json(longInteraction), json(genesysNoTopic),
                json(badSequence), json(noTime), "this is not JSON " + marker);
    }
}
