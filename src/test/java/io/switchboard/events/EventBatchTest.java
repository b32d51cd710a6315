package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A poll's events are recorded in one transaction, and one message that the store refuses must not hold back the
 * others of its poll: the poll is then recorded message by message, and the refused one stays on the queue (SQS
 * hands it out again; after the queue's maxReceiveCount it moves to the queue's DLQ), never deleted unrecorded.
 * Its own queue, with a short visibility timeout, so that the refused message comes back within the test.
 */
@TestPropertySource(properties = {
        "events.queue=switchboard-events-batch-test",
        "events.visibility-timeout=5"
})
class EventBatchTest extends EventsTestBase {

    @AfterEach
    void acceptEverythingAgain() {
        jdbc.sql("ALTER TABLE events DROP CONSTRAINT IF EXISTS events_batch_test_refusal").update();
    }

    @Test
    void should_record_the_rest_of_a_poll_when_the_store_refuses_one_of_its_events() {
        // the store refuses this one event (a stand-in for a value the database will not take)
        String refused = newId("refused-by-the-store");
        jdbc.sql("ALTER TABLE events ADD CONSTRAINT events_batch_test_refusal CHECK (event_id <> '" + refused + "')")
                .update();
        String interaction = newId("batch");
        List<String> bodies = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String id = i == 5 ? refused : newId("ok");
            if (i != 5) {
                accepted.add(id);
            }
            bodies.add(json(cxoneEvent(id, interaction + "-" + i, "Queued", 1)));
        }

        publish(bodies);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink)).extracting(RecordingSinks.Request::eventId)
                        .containsAll(accepted);
            }
        });
        assertThat(SINKS.requests()).extracting(RecordingSinks.Request::eventId).doesNotContain(refused);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM events WHERE event_id = :id").param("id", refused)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM event_deliveries d JOIN events e ON e.pk = d.event_pk"
                + " WHERE e.interaction_id = :i").param("i", interaction + "-5").query(Long.class).single())
                .as("its deliveries rolled back with it").isZero();
        assertThat(messagesInQueue()).as("the refused message stays on the queue").isGreaterThanOrEqualTo(1);
        assertThat(deadLettersOf(InvalidEvents.SOURCE)).as("the retry sees the messages as received")
                .noneMatch(letter -> letter.rawPayload() != null && letter.rawPayload().contains(interaction));

        // once the store takes it, the message that stayed on the queue is recorded and delivered: nothing lost
        acceptEverythingAgain();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink)).extracting(RecordingSinks.Request::eventId).contains(refused);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesInQueue() == 0);
    }
}
