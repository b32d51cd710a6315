package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The real Genesys Cloud EventBridge envelopes (fixtures/genesys-eventbridge) through SQS to every sink. */
class GenesysFixturesTest extends EventsTestBase {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures/genesys-eventbridge");

    @Test
    void should_deliver_the_real_genesys_envelopes_with_the_conversation_or_entity_as_interaction_id() throws Exception {
        String start = Files.readString(FIXTURES.resolve("conversation-start.json"));
        String end = Files.readString(FIXTURES.resolve("conversation-end.json"));
        String presence = Files.readString(FIXTURES.resolve("user-presence-audit.json"));

        publish(end, presence, start);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink)).hasSize(3);
            }
        });
        for (String sink : RecordingSinks.NAMES) {
            var delivered = SINKS.delivered(sink);
            var conversation = delivered.stream()
                    .filter(r -> r.interactionId().equals("2f7bf00a-0fc2-4d6a-9b56-92238191433e")).toList();
            // the start (eventTime ...444949) reaches each sink before the end (...504949), though sent after it
            assertThat(conversation).extracting(RecordingSinks.Request::eventId)
                    .containsExactly("adbcfa5b-0116-4baa-b66b-a3f5902e95bf", "58fb5dac-f077-4eec-a25f-c638dbdd4368");
            var audit = delivered.stream()
                    .filter(r -> r.eventId().equals("4cbedb0f-4dfd-4c8e-9e57-0acded092527")).findFirst().orElseThrow();
            assertThat(audit.interactionId()).isEqualTo("278522be-1683-4877-8257-4164a177be89");
            for (RecordingSinks.Request request : delivered) {
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.contentType()).startsWith("application/json");
                JsonNode body = JSON.readTree(request.body());
                assertThat(body.path("id").asText()).isEqualTo(request.eventId());
            }
            assertThat(JSON.readTree(conversation.get(0).body())).isEqualTo(JSON.readTree(start));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> messagesInQueue() == 0);
    }
}
