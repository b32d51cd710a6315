package io.switchboard.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CXone routing webhook (docs/api.md#routing-rules) is registered; its callbacks are validated and audited. */
class RoutingWebhooksTest extends IntegrationTestBase {

    private static final String WEBHOOKS = "/cxone/api/v2/webhooks";
    private static final String CALLBACK_URL = "https://switchboard.example.com/api/webhooks/cxone";

    @Test
    void should_register_the_webhook_for_rule_created_and_updated_in_the_reference_shape() {
        upstream().stubFor(post(urlPathEqualTo(WEBHOOKS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"wh-1\",\"name\":\"RoutingRuleSync\",\"status\":\"active\"}")));

        Api.Response response = api.post("/api/routing/webhooks", "{\"callbackUrl\":\"" + CALLBACK_URL + "\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("id").asText()).isEqualTo("wh-1");
        assertThat(response.json().path("events").findValuesAsText("")).isEmpty();
        assertThat(response.json().path("events").toString())
                .isEqualTo("[\"routing.rule.created\",\"routing.rule.updated\"]");
        upstream().verify(exactly(1), postRequestedFor(urlPathEqualTo(WEBHOOKS)).withRequestBody(equalToJson("""
                {"name": "RoutingRuleSync", "enabled": true, "targetURL": "%s",
                 "eventFilter": "routing.rule.created routing.rule.updated", "format": "json"}
                """.formatted(CALLBACK_URL))));
        JsonNode audit = latestAudit("webhook.register");
        assertThat(audit.path("outcome").asText()).isEqualTo("success");
        assertThat(audit.path("targetId").asText()).isEqualTo("wh-1");
        assertThat(audit.path("httpStatus").asInt()).isEqualTo(201);
    }

    @Test
    void should_refuse_a_registration_without_a_callback_url_and_audit_it() {
        Api.Response response = api.post("/api/routing/webhooks", "{\"callbackUrl\":\"ftp://nowhere\",\"colour\":\"red\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).contains("callbackUrl");
        upstream().verify(exactly(0), postRequestedFor(urlPathEqualTo(WEBHOOKS)));
        JsonNode audit = latestAudit("webhook.register");
        assertThat(audit.path("outcome").asText()).isEqualTo("failure");
        assertThat(audit.path("httpStatus").asInt()).isEqualTo(400);
    }

    @Test
    void should_refuse_a_callback_url_with_user_information_before_calling_cxone() {
        Api.Response response = api.post("/api/routing/webhooks",
                "{\"callbackUrl\":\"https://ops:hunter22@switchboard.example.com/api/webhooks/cxone\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly("callbackUrl");
        upstream().verify(exactly(0), postRequestedFor(urlPathEqualTo(WEBHOOKS)));
    }

    @Test
    void should_pass_on_cxone_refusing_the_registration() {
        upstream().stubFor(post(urlPathEqualTo(WEBHOOKS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Field 'targetURL' must be reachable\"}")));

        Api.Response response = api.post("/api/routing/webhooks", "{\"callbackUrl\":\"" + CALLBACK_URL + "\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("detail").asText()).contains("targetURL' must be reachable");
        assertThat(latestAudit("webhook.register").path("outcome").asText()).isEqualTo("failure");
    }

    @Test
    void should_validate_and_audit_a_rule_updated_callback() {
        String callback = """
                {"event": "routing.rule.updated", "ruleId": "rule-a", "timestamp": "2026-03-01T10:15:30Z",
                 "rule": {"id": "rule-a", "name": "Sandbox VIP voice routing"}}""";

        Api.Response response = api.post("/api/webhooks/cxone", callback);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("received").asBoolean()).isTrue();
        JsonNode audit = latestAudit("webhook.received");
        assertThat(audit.path("workflow").asText()).isEqualTo("routing-rules");
        assertThat(audit.path("outcome").asText()).isEqualTo("success");
        assertThat(audit.path("targetId").asText()).isEqualTo("rule-a");
        assertThat(audit.path("payload").path("event").asText()).isEqualTo("routing.rule.updated");
        assertThat(audit.path("payload").path("rule").path("name").asText()).isEqualTo("Sandbox VIP voice routing");
    }

    @Test
    void should_refuse_and_audit_an_invalid_callback() {
        Api.Response wrongEvent = api.post("/api/webhooks/cxone",
                "{\"event\":\"routing.rule.deleted\",\"timestamp\":\"2026-03-01T10:15:30Z\"}");
        JsonNode wrongEventAudit = latestAudit("webhook.received");
        Api.Response badTime = api.post("/api/webhooks/cxone",
                "{\"event\":\"routing.rule.created\",\"ruleId\":\"rule-b\",\"timestamp\":\"2026-13-45T99:99:99Z\"}");

        assertThat(wrongEvent.status()).isEqualTo(400);
        assertThat(wrongEvent.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("event", "ruleId");
        assertThat(wrongEventAudit.path("outcome").asText()).isEqualTo("failure");
        assertThat(wrongEventAudit.path("httpStatus").asInt()).isEqualTo(400);
        assertThat(wrongEventAudit.path("payload").path("request").path("event").asText()).isEqualTo("routing.rule.deleted");
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.json().path("errors").findValuesAsText("field")).containsExactly("timestamp");
        JsonNode badTimeAudit = latestAudit("webhook.received");
        assertThat(badTimeAudit.path("outcome").asText()).isEqualTo("failure");
        assertThat(badTimeAudit.path("targetId").asText()).isEqualTo("rule-b");
    }

    @Test
    void should_require_the_api_key_on_callbacks() {
        Api.Response response = api.send("POST", "/api/webhooks/cxone",
                "{\"event\":\"routing.rule.created\",\"ruleId\":\"r\",\"timestamp\":\"2026-03-01T10:15:30Z\"}",
                Map.of("Content-Type", "application/json"));

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void should_describe_the_routing_endpoints_in_the_openapi_document() {
        JsonNode paths = api.send("GET", "/api/openapi.json", null, Map.of()).json().path("paths");

        assertThat(paths.has("/api/routing/rules")).isTrue();
        assertThat(paths.has("/api/routing/rules/{id}")).isTrue();
        assertThat(paths.has("/api/routing/webhooks")).isTrue();
        assertThat(paths.has("/api/webhooks/cxone")).isTrue();
    }

    private JsonNode latestAudit(String action) {
        return api.get("/api/audit?workflow=routing-rules&action=" + action + "&limit=1").json().path("items").get(0);
    }
}
