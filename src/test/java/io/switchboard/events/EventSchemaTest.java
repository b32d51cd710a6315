package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** config/schemas/event-envelope.json: both envelope shapes, and what each refuses. */
class EventSchemaTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonSchema SCHEMA;

    static {
        try {
            SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(Files.readString(Path.of("config/schemas/event-envelope.json")));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static List<String> problems(JsonNode event) {
        Set<ValidationMessage> messages = SCHEMA.validate(event);
        return messages.stream().map(m -> m.getInstanceLocation() + " " + m.getMessage()).toList();
    }

    @Test
    void should_accept_the_real_genesys_envelopes_and_the_reference_cxone_event() throws Exception {
        for (String fixture : List.of("conversation-start.json", "conversation-end.json", "user-presence-audit.json")) {
            assertThat(problems(JSON.readTree(EventEnvelopesTest.fixture(fixture)))).as(fixture).isEmpty();
        }
        assertThat(problems(EventsTestBase.cxoneEvent("e", "i", "WrapUp", 3))).isEmpty();
        assertThat(problems(EventsTestBase.cxoneEvent("e", "i", "Transfer", null))).isEmpty();
    }

    @Test
    void should_refuse_a_stage_outside_the_reference_list() {
        assertThat(problems(EventsTestBase.cxoneEvent("e", "i", "Teleported", 1)))
                .singleElement().asString().contains("stage");
    }

    @Test
    void should_refuse_an_interaction_id_over_64_characters_and_missing_required_fields() {
        ObjectNode event = EventsTestBase.cxoneEvent("e", "i".repeat(65), "Queued", 1);
        event.remove("source");
        ((ObjectNode) event.path("detail")).remove("stage");

        List<String> problems = problems(event);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("interaction.id").contains("64"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("source"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("stage"));
    }

    @Test
    void should_check_a_genesys_envelope_against_the_genesys_shape_only() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(EventEnvelopesTest.fixture("conversation-start.json"));
        ((ObjectNode) event.path("detail")).remove("eventBody");

        List<String> problems = problems(event);

        assertThat(problems).singleElement().asString().contains("eventBody");
    }

    @Test
    void should_refuse_a_sequence_that_is_not_a_whole_number() {
        ObjectNode event = EventsTestBase.cxoneEvent("e", "i", "Queued", null);
        ((ObjectNode) event.path("detail")).put("sequence", 1.5);

        assertThat(problems(event)).singleElement().asString().contains("sequence");
    }
}
