package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.test.Api;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code POST /api/events} (the same pipeline over HTTP) and {@code GET /api/events/replay}. */
class EventApiTest extends EventsTestBase {

    @Autowired
    AuditLog audit;

    @Test
    void should_accept_an_event_over_http_with_202_and_deliver_it_to_every_sink() {
        String id = UUID.randomUUID().toString();
        String interaction = UUID.randomUUID().toString();
        String body = json(cxoneEvent(id, interaction, "Offered", 3));

        Api.Response response = api.post("/api/events", body);

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().path("id").asText()).isEqualTo(id);
        assertThat(response.json().path("interactionId").asText()).isEqualTo(interaction);
        assertThat(response.json().path("status").asText()).isEqualTo("accepted");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String sink : RecordingSinks.NAMES) {
                assertThat(SINKS.delivered(sink)).filteredOn(r -> id.equals(r.eventId())).singleElement()
                        .satisfies(r -> {
                            assertThat(r.interactionId()).isEqualTo(interaction);
                            assertThat(r.body()).isEqualTo(body);
                            assertThat(r.headers()).doesNotContainKeys("X-switchboard-operator", "X-correlation-id");
                        });
            }
        });

        Api.Response again = api.post("/api/events", body);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().path("status").asText()).isEqualTo("duplicate");
    }

    @Test
    void should_refuse_an_invalid_event_over_http_with_400_naming_every_problem() {
        ObjectNode event = cxoneEvent("e-" + UUID.randomUUID(), "i".repeat(70), "Sleeping", null);
        event.remove("time");

        Api.Response response = api.post("/api/events", json(event));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        List<String> fields = response.json().path("errors").findValuesAsText("field");
        assertThat(fields).contains("time");
        assertThat(fields).anyMatch(field -> field.contains("stage"));
        assertThat(fields).anyMatch(field -> field.contains("interaction.id"));
        assertThat(audit.find("events", "event.refused", null, 1)).singleElement().satisfies(entry -> {
            assertThat(entry.outcome()).isEqualTo("failure");
            assertThat(entry.httpStatus()).isEqualTo(400);
            assertThat(entry.operator()).isEqualTo("tester");
            assertThat(entry.error()).contains("stage");
        });
        Api.Response malformed = api.post("/api/events", "{\"id\": ");
        assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
        assertThat(api.send("POST", "/api/events", json(event), Map.of("Content-Type", "application/json")).status())
                .isEqualTo(401);
    }

    @Test
    void should_replay_recorded_events_chronologically_a_page_at_a_time() {
        String interaction = UUID.randomUUID().toString();
        Instant start = Instant.parse("2030-01-01T00:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < 7; k++) {
            ids.add(UUID.randomUUID().toString());
        }
        // posted newest first: replay follows event time, not arrival
        for (int k = 6; k >= 0; k--) {
            ObjectNode event = cxoneEvent(ids.get(k), interaction, "Connected", null);
            event.put("time", start.plusSeconds(k).toString());
            assertThat(api.post("/api/events", json(event)).status()).isEqualTo(202);
        }

        List<String> replayed = new ArrayList<>();
        String next = "/api/events/replay?offset=0&limit=3&interactionId=" + interaction;
        int pages = 0;
        while (next != null) {
            Api.Response page = api.get(next);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().path("total").asLong()).isEqualTo(7);
            page.json().path("events").forEach(e -> replayed.add(e.path("id").asText()));
            JsonNode link = page.json().path("next");
            next = link.isMissingNode() || link.isNull() ? null : link.asText();
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(replayed).containsExactlyElementsOf(ids);

        Api.Response all = api.get("/api/events/replay");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("total").asLong()).isGreaterThanOrEqualTo(7);
        assertThat(all.json().path("events").size()).isLessThanOrEqualTo(50);
    }

    @Test
    void should_refuse_a_bad_replay_query_naming_the_field() {
        Api.Response response = api.get("/api/events/replay?offset=-1&limit=0");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("offset", "limit");
        assertThat(api.get("/api/events/replay?limit=501").status()).isEqualTo(400);
        assertThat(api.get("/api/events/replay?limit=ten").json().path("errors").findValuesAsText("field"))
                .containsExactly("limit");
        assertThat(api.get("/api/events/replay?interactionId=" + "x".repeat(65)).status()).isEqualTo(400);
    }
}
