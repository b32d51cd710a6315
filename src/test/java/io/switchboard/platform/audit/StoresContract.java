package io.switchboard.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The audit trail and the dead-letter store, through their APIs. Run against H2 ({@link H2StoresTest})
 * and PostgreSQL ({@link PostgresStoresTest}): both databases must behave the same.
 */
abstract class StoresContract extends IntegrationTestBase {

    static final List<String> REDRIVEN = new CopyOnWriteArrayList<>();

    @Autowired
    AuditLog audit;

    @Autowired
    DeadLetters deadLetters;

    @BeforeEach
    void redriveTarget() throws Exception {
        if (camel.getRoute("test-redrive-target") == null) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:test-redrive-target").routeId("test-redrive-target")
                            .errorHandler(noErrorHandler())
                            .process(e -> REDRIVEN.add(e.getIn().getHeader("X-Kept", String.class) + "|"
                                    + e.getIn().getBody(String.class)));
                }
            });
        }
        REDRIVEN.clear();
    }

    @Test
    void should_store_every_secret_as_stars_and_keep_the_rest() {
        String target = "channel-" + UUID.randomUUID();
        audit.record(AuditRecord.of("email", "channel.create").target(target).operator("tester")
                .correlationId("corr-1").failure(502, "CXone answered 502").latencyMs(42)
                .payload(Map.of(
                        "name", "relay",
                        "smtpSettings", Map.of("server", "smtp.example.com", "password", "hunter2-canary"),
                        "clientSecret", "cs-canary",
                        "credentials", Map.of("accessToken", "tok-canary", "apiKey", "key-canary"),
                        "items", List.of(Map.of("client_secret", "nested-canary")))));

        JsonNode item = api.get("/api/audit?workflow=email&action=channel.create&limit=500").json().path("items")
                .findParents("targetId").stream().filter(n -> n.path("targetId").asText().equals(target))
                .findFirst().orElseThrow();
        assertThat(item.toString()).doesNotContain("canary");
        JsonNode payload = item.path("payload");
        assertThat(payload.path("name").asText()).isEqualTo("relay");
        assertThat(payload.path("smtpSettings").path("server").asText()).isEqualTo("smtp.example.com");
        assertThat(payload.path("smtpSettings").path("password").asText()).isEqualTo("***");
        assertThat(payload.path("clientSecret").asText()).isEqualTo("***");
        assertThat(payload.path("credentials").path("accessToken").asText()).isEqualTo("***");
        assertThat(payload.path("credentials").path("apiKey").asText()).isEqualTo("***");
        assertThat(payload.path("items").get(0).path("client_secret").asText()).isEqualTo("***");
        assertThat(item.path("workflow").asText()).isEqualTo("email");
        assertThat(item.path("operator").asText()).isEqualTo("tester");
        assertThat(item.path("correlationId").asText()).isEqualTo("corr-1");
        assertThat(item.path("outcome").asText()).isEqualTo("failure");
        assertThat(item.path("httpStatus").asInt()).isEqualTo(502);
        assertThat(item.path("latencyMs").asLong()).isEqualTo(42);
        assertThat(item.path("error").asText()).isEqualTo("CXone answered 502");
        assertThat(Instant.parse(item.path("timestamp").asText())).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void should_page_newest_first_with_before_and_limit() {
        String action = "page-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            audit.record(AuditRecord.of("routing-rules", action).target("r" + i).success(200));
            await().pollDelay(Duration.ofMillis(5)).atMost(Duration.ofSeconds(1)).until(() -> true);
        }
        List<String> newestFirst = api.get("/api/audit?workflow=routing-rules&action=" + action).json()
                .path("items").findValuesAsText("targetId");
        assertThat(newestFirst).containsExactly("r2", "r1", "r0");

        JsonNode items = api.get("/api/audit?workflow=routing-rules&action=" + action + "&limit=1").json().path("items");
        assertThat(items).hasSize(1);
        String before = items.get(0).path("timestamp").asText();
        assertThat(api.get("/api/audit?workflow=routing-rules&action=" + action + "&before=" + before).json()
                .path("items").findValuesAsText("targetId")).containsExactly("r1", "r0");
    }

    @Test
    void should_list_redrive_and_discard_dead_letters() {
        String source = "test-" + UUID.randomUUID();
        String redriven = deadLetters.add(source, "CXone answered 500 (password=pw-canary)", 5,
                "{\"messageId\":\"m-1\",\"password\":\"pw-canary\"}", "direct:test-redrive-target", Map.of("X-Kept", "kept"));
        String discarded = deadLetters.add(source, "never", 1, "{\"messageId\":\"m-2\"}", null, Map.of());

        Api.Response list = api.get("/api/dead-letters?source=" + source);
        assertThat(list.status()).isEqualTo(200);
        JsonNode items = list.json().path("items");
        assertThat(items).hasSize(2);
        assertThat(list.body()).doesNotContain("pw-canary");
        JsonNode first = items.findParents("id").stream().filter(n -> n.path("id").asText().equals(redriven))
                .findFirst().orElseThrow();
        assertThat(first.path("source").asText()).isEqualTo(source);
        assertThat(first.path("attempts").asInt()).isEqualTo(5);
        assertThat(first.path("reason").asText()).isEqualTo("CXone answered 500 (password=***)");
        assertThat(first.path("payload").path("messageId").asText()).isEqualTo("m-1");
        assertThat(first.path("payload").path("password").asText()).isEqualTo("***");
        assertThat(first.has("createdAt")).isTrue();

        assertThat(api.post("/api/dead-letters/" + redriven + "/redrive", "").status()).isEqualTo(202);
        assertThat(REDRIVEN).containsExactly("kept|{\"messageId\":\"m-1\",\"password\":\"pw-canary\"}");
        assertThat(api.post("/api/dead-letters/" + discarded + "/redrive", "").status())
                .as("no place to send it back to").isEqualTo(409);
        assertThat(api.delete("/api/dead-letters/" + discarded).status()).isEqualTo(200);
        assertThat(api.get("/api/dead-letters?source=" + source).json().path("items")).isEmpty();
        assertThat(api.delete("/api/dead-letters/" + discarded).status()).isEqualTo(404);
        assertThat(api.get("/api/audit?action=dead-letter.redrive").json().path("items").findValuesAsText("targetId"))
                .contains(redriven);
    }
}
