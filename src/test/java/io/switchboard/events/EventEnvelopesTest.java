package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the pipeline derives from an envelope: interaction id, order key, event time. */
class EventEnvelopesTest {

    final ObjectMapper json = new ObjectMapper();
    final EventEnvelopes envelopes = new EventEnvelopes(json);

    @Test
    void should_take_the_cxone_interaction_id_from_the_dotted_key_and_order_by_sequence() throws Exception {
        ObjectNode event = EventsTestBase.cxoneEvent("e-1", "int-7", "Connected", 12);

        IncomingEvent read = envelopes.read(json.writeValueAsString(event));

        assertThat(read.eventId()).isEqualTo("e-1");
        assertThat(read.interactionId()).isEqualTo("int-7");
        assertThat(read.orderKey()).isEqualTo(12);
        assertThat(read.eventTime()).isEqualTo(Instant.parse("2025-01-15T10:00:00Z"));
        assertThat(read.key()).isEqualTo("e-1:int-7");
    }

    @Test
    void should_order_a_cxone_event_without_sequence_by_its_time() throws Exception {
        ObjectNode event = EventsTestBase.cxoneEvent("e-2", "int-7", "Connected", null);
        event.put("time", "2025-01-15T10:00:01.250+01:00");

        IncomingEvent read = envelopes.read(json.writeValueAsString(event));

        assertThat(read.orderKey()).isEqualTo(Instant.parse("2025-01-15T09:00:01.250Z").toEpochMilli());
    }

    @Test
    void should_use_the_genesys_conversation_id_and_event_time() throws Exception {
        IncomingEvent start = envelopes.read(fixture("conversation-start.json"));

        assertThat(start.interactionId()).isEqualTo("2f7bf00a-0fc2-4d6a-9b56-92238191433e");
        assertThat(start.orderKey()).isEqualTo(1649237444949L);
        assertThat(start.eventTime()).isEqualTo(Instant.ofEpochMilli(1649237444949L));
        assertThat(start.detailType()).isEqualTo("v2.detail.events.conversation.{id}.customer.start");
    }

    @Test
    void should_use_the_entity_named_in_the_topic_when_there_is_no_conversation() throws Exception {
        IncomingEvent presence = envelopes.read(fixture("user-presence-audit.json"));

        assertThat(presence.interactionId()).isEqualTo("278522be-1683-4877-8257-4164a177be89");
        assertThat(presence.orderKey()).isEqualTo(Instant.parse("2021-06-25T15:11:52.000Z").toEpochMilli());
    }

    @Test
    void should_find_the_entity_id_in_topic_names() {
        assertThat(EventEnvelopes.entityId("v2.users.{id}.presence", "v2.users.abc-1.presence")).isEqualTo("abc-1");
        assertThat(EventEnvelopes.entityId("v2.routing.queues.{id}.users.{id}", "v2.routing.queues.q1.users.u9"))
                .isEqualTo("u9");
        assertThat(EventEnvelopes.entityId("v2.something", "v2.other.278522be-1683-4877-8257-4164a177be89.x"))
                .isEqualTo("278522be-1683-4877-8257-4164a177be89");
        assertThat(EventEnvelopes.entityId("v2.something", "v2.nothing.here")).isNull();
    }

    @Test
    void should_refuse_a_genesys_event_that_names_no_interaction() throws Exception {
        ObjectNode event = (ObjectNode) json.readTree(fixture("user-presence-audit.json"));
        ((ObjectNode) event.path("detail")).put("topicName", "v2.audits.entitytype.UserPresence");

        assertThatThrownBy(() -> envelopes.read(json.writeValueAsString(event)))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.errors())
                        .extracting(FieldError::field).containsExactly("detail.topicName"));
    }

    @Test
    void should_refuse_a_derived_interaction_id_over_64_characters_and_an_unreadable_time() throws Exception {
        ObjectNode event = (ObjectNode) json.readTree(fixture("user-presence-audit.json"));
        ((ObjectNode) event.path("detail")).put("topicName", "v2.audits.entitytype.UserPresence.entityid." + "x".repeat(65));
        ((ObjectNode) event.path("detail").path("eventBody")).put("eventTime", "yesterday");

        assertThatThrownBy(() -> envelopes.read(json.writeValueAsString(event)))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("interactionId", "detail.eventBody.eventTime"));
    }

    static String fixture(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/fixtures/genesys-eventbridge", name));
    }
}
