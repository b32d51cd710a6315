package io.switchboard.dataactions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.platform.audit.AuditEntry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.upstream.UpstreamGateway;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import io.switchboard.test.TestUpstreams;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** POST /api/data-actions without a webhook: validation, header matrix, CXone call, redirects, 429, audit. */
class DataActionsCreateTest extends IntegrationTestBase {

    static final String CREATE = "/cxone/api/v2/data-actions";
    static final String VALID = """
            {"name":"FetchExternalInventory","description":"Retrieves real-time stock levels","type":"REST",
             "configuration":{"method":"GET","url":"https://inventory.example.com/api/v2/stock","timeout":3000,
                              "headers":{"X-API-Key":"inventory-key-123"}},
             "enabled":true,"tags":["inventory"]}""";
    static final String CREATED = """
            {"id":"da-1","name":"FetchExternalInventory","type":"REST","enabled":true,"createdAt":"2025-01-01T00:00:00Z"}""";
    /** The headers Switchboard sends to CXone, as the gateway counts them. */
    static final List<String> MATRIX = List.of("Content-Type", "Accept", "X-Correlation-ID", "X-Request-Source",
            "Authorization");

    @Autowired
    AuditLog audit;

    @Autowired
    UpstreamGateway gateway;

    private static void stubCreated() {
        upstream().stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(CREATED)));
    }

    private Api.Response create(String body, String correlationId) {
        Map<String, String> headers = correlationId == null
                ? Map.of("X-API-Key", Api.KEY, "Content-Type", "application/json")
                : Map.of("X-API-Key", Api.KEY, "Content-Type", "application/json", "X-Correlation-ID", correlationId);
        return api.send("POST", "/api/data-actions", body, headers);
    }

    private List<AuditEntry> auditTrail() {
        return audit.find("data-actions", "data-action.create", null, 50);
    }

    private static int matrixBytes(LoggedRequest request) {
        int total = 0;
        for (String name : MATRIX) {
            String value = request.getHeader(name);
            assertThat(value).as("header %s sent to CXone", name).isNotNull();
            total += name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length + 4;
        }
        return total;
    }

    // ------------------------------------------------------------------ validation

    @Test
    void should_require_name_type_and_configuration_naming_each_missing_field() {
        Api.Response response = create("{}", null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("name", "type", "configuration");
        upstream().verify(exactly(0), postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void should_check_the_type_of_every_field_naming_each_wrong_one() {
        Api.Response response = create("""
                {"name":42,"type":["REST"],"configuration":"GET https://x","description":7,"enabled":"yes",
                 "tags":"inventory"}""", null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("name", "type", "configuration", "description", "enabled", "tags");
        upstream().verify(exactly(0), postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void should_refuse_blank_name_and_type() {
        Api.Response response = create("{\"name\":\"  \",\"type\":\"\",\"configuration\":{}}", null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).contains("name", "type");
    }

    @Test
    void should_refuse_a_body_that_is_not_an_object_or_not_json() {
        assertThat(create("[1,2]", null).status()).isEqualTo(400);
        Api.Response malformed = create("{\"name\": ", null);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("title").asText()).isEqualTo("Malformed JSON");
        upstream().verify(exactly(0), postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void should_audit_a_refused_body_as_a_failed_attempt() {
        Api.Response response = create("{\"name\":\"NoType\"}", "cid-invalid-1");

        assertThat(response.status()).isEqualTo(400);
        AuditEntry entry = auditTrail().get(0);
        assertThat(entry.correlationId()).isEqualTo("cid-invalid-1");
        assertThat(entry.outcome()).isEqualTo("failure");
        assertThat(entry.httpStatus()).isEqualTo(400);
        assertThat(entry.error()).contains("type").contains("configuration");
        assertThat(entry.targetId()).isEqualTo("NoType");
        assertThat(entry.latencyMs()).isNotNull();
    }

    // ------------------------------------------------------------------ create

    @Test
    void should_create_through_cxone_and_answer_201_with_its_body_and_the_correlation_id() {
        stubCreated();

        Api.Response response = create(VALID, "cid-create-1");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.raw().headers().allValues("X-Correlation-ID")).containsExactly("cid-create-1");
        JsonNode body = response.json();
        assertThat(body.path("id").asText()).isEqualTo("da-1");
        assertThat(body.path("createdAt").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(body.path("correlationId").asText()).isEqualTo("cid-create-1");
        upstream().verify(exactly(1), postRequestedFor(urlPathEqualTo(CREATE))
                .withHeader("X-Correlation-ID", equalTo("cid-create-1"))
                .withHeader("X-Request-Source", equalTo("switchboard-data-actions"))
                .withHeader("Authorization", equalTo("Bearer test-token-cxone"))
                .withRequestBody(equalToJson(VALID)));
    }

    @Test
    void should_generate_a_correlation_id_when_the_caller_sends_none_and_send_it_upstream() {
        stubCreated();

        Api.Response response = create(VALID, null);

        assertThat(response.status()).isEqualTo(201);
        String generated = response.header("X-Correlation-ID");
        assertThat(generated).isNotBlank();
        assertThat(response.json().path("correlationId").asText()).isEqualTo(generated);
        upstream().verify(postRequestedFor(urlPathEqualTo(CREATE)).withHeader("X-Correlation-ID", equalTo(generated)));
    }

    @Test
    void should_audit_a_successful_create_with_status_latency_and_redacted_payload() {
        stubCreated();

        create(VALID, "cid-audit-1");

        AuditEntry entry = auditTrail().get(0);
        assertThat(entry.correlationId()).isEqualTo("cid-audit-1");
        assertThat(entry.outcome()).isEqualTo("success");
        assertThat(entry.httpStatus()).isEqualTo(201);
        assertThat(entry.targetId()).isEqualTo("da-1");
        assertThat(entry.operator()).isEqualTo("tester");
        assertThat(entry.latencyMs()).isNotNull().isGreaterThanOrEqualTo(0);
        assertThat(entry.error()).isNull();
        assertThat(entry.payload().path("upstreamStatus").asInt()).isEqualTo(201);
        assertThat(entry.payload().path("upstreamAttempts").asInt()).isEqualTo(1);
        assertThat(entry.payload().path("callback").asText()).isEqualTo("not configured");
        assertThat(entry.payload().path("request").path("configuration").path("headers").path("X-API-Key").asText())
                .isEqualTo("***");
        assertThat(entry.payload().toString()).doesNotContain("inventory-key-123");
    }

    @Test
    void should_pass_cxone_refusals_through_and_audit_them() {
        upstream().stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"A data action named FetchExternalInventory exists\"}")));

        Api.Response response = create(VALID, "cid-conflict-1");

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("detail").asText()).contains("exists");
        AuditEntry entry = auditTrail().get(0);
        assertThat(entry.outcome()).isEqualTo("failure");
        assertThat(entry.httpStatus()).isEqualTo(409);
        assertThat(entry.error()).contains("exists");
        assertThat(entry.payload().path("upstreamStatus").asInt()).isEqualTo(409);
    }

    // ------------------------------------------------------------------ 429

    @Test
    void should_retry_429_twice_then_answer_201() {
        String scenario = "throttled-twice";
        upstream().stubFor(post(urlPathEqualTo(CREATE)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0"))
                .willSetStateTo("second"));
        upstream().stubFor(post(urlPathEqualTo(CREATE)).inScenario(scenario).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(429))
                .willSetStateTo("third"));
        upstream().stubFor(post(urlPathEqualTo(CREATE)).inScenario(scenario).whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(CREATED)));

        Api.Response response = create(VALID, "cid-throttled-1");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("id").asText()).isEqualTo("da-1");
        upstream().verify(exactly(3), postRequestedFor(urlPathEqualTo(CREATE))
                .withHeader("X-Correlation-ID", equalTo("cid-throttled-1")));
        AuditEntry entry = auditTrail().get(0);
        assertThat(entry.outcome()).isEqualTo("success");
        assertThat(entry.payload().path("upstreamAttempts").asInt()).isEqualTo(3);
    }

    @Test
    void should_answer_503_when_cxone_keeps_throttling() {
        upstream().stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(429)));

        Api.Response response = create(VALID, "cid-throttled-2");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        AuditEntry entry = auditTrail().get(0);
        assertThat(entry.outcome()).isEqualTo("failure");
        assertThat(entry.httpStatus()).isEqualTo(503);
        assertThat(entry.payload().path("upstreamStatus").asInt()).isEqualTo(429);
        assertThat(entry.payload().path("upstreamAttempts").asInt()).isEqualTo(4);
    }

    // ------------------------------------------------------------------ header matrix

    @Test
    void should_send_headers_of_exactly_8192_bytes_and_refuse_8193_before_calling_cxone() {
        stubCreated();
        Api.Response probe = create(VALID, "probe");
        assertThat(probe.status()).isEqualTo(201);
        LoggedRequest sent = upstream().findAll(postRequestedFor(urlPathEqualTo(CREATE))).get(0);
        int others = matrixBytes(sent) - "probe".length();
        String fits = "c".repeat(8192 - others);
        String tooLong = fits + "c";
        upstream().resetRequests();

        Api.Response atLimit = create(VALID, fits);

        assertThat(atLimit.status()).as(atLimit.body()).isEqualTo(201);
        LoggedRequest atLimitSent = upstream().findAll(postRequestedFor(urlPathEqualTo(CREATE))).get(0);
        assertThat(matrixBytes(atLimitSent)).isEqualTo(8192);
        assertThat(auditTrail().get(0).payload().path("headerBytes").asInt()).isEqualTo(8192);
        upstream().resetRequests();

        Api.Response overLimit = create(VALID, tooLong);

        assertThat(overLimit.status()).isEqualTo(400);
        assertThat(overLimit.header("Content-Type")).startsWith("application/problem+json");
        assertThat(overLimit.raw().headers().allValues("X-Correlation-ID")).containsExactly(tooLong);
        assertThat(overLimit.json().path("headerBytes").asInt()).isEqualTo(8193);
        assertThat(overLimit.json().path("limitBytes").asInt()).isEqualTo(8192);
        assertThat(overLimit.json().path("errors").findValuesAsText("field")).containsExactly("X-Correlation-ID");
        assertThat(overLimit.json().path("errors").get(0).path("message").asText())
                .contains("at most " + fits.length() + " bytes");
        upstream().verify(exactly(0), postRequestedFor(urlPathEqualTo(CREATE)));
        AuditEntry refused = auditTrail().get(0);
        assertThat(refused.outcome()).isEqualTo("failure");
        assertThat(refused.httpStatus()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ redirects

    @Test
    void should_follow_at_most_5_redirects_of_a_302_loop_then_answer_502_naming_the_loop() {
        upstream().stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "/cxone/api/v2/data-actions/lb")));
        upstream().stubFor(post(urlPathEqualTo(CREATE + "/lb")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", CREATE + "/lb")));

        Api.Response response = create(VALID, "cid-loop-1");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("detail").asText()).contains("redirect loop").contains("/lb");
        assertThat(response.json().path("redirects")).hasSize(6);
        upstream().verify(exactly(1), postRequestedFor(urlPathEqualTo(CREATE)));
        upstream().verify(exactly(5), postRequestedFor(urlPathEqualTo(CREATE + "/lb"))
                .withRequestBody(equalToJson(VALID))
                .withHeader("X-Correlation-ID", equalTo("cid-loop-1")));
        AuditEntry entry = auditTrail().get(0);
        assertThat(entry.outcome()).isEqualTo("failure");
        assertThat(entry.httpStatus()).isEqualTo(502);
        assertThat(entry.error()).contains("redirect loop");
        assertThat(entry.payload().path("redirects")).hasSize(6);
    }

    @Test
    void should_follow_a_307_with_the_same_post_and_then_retry_429_at_the_new_location() {
        String scenario = "moved-then-throttled";
        upstream().stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(307)
                .withHeader("Location", TestUpstreams.baseUrl() + "/cxone/api/v2/node-b/data-actions")));
        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v2/node-b/data-actions")).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("ready"));
        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v2/node-b/data-actions")).inScenario(scenario)
                .whenScenarioStateIs("ready")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(CREATED)));

        Api.Response response = create(VALID, "cid-moved-1");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        upstream().verify(exactly(2), postRequestedFor(urlPathEqualTo("/cxone/api/v2/node-b/data-actions"))
                .withRequestBody(equalToJson(VALID)));
        AuditEntry entry = auditTrail().get(0);
        assertThat(entry.payload().path("redirects")).hasSize(1);
        assertThat(entry.payload().path("upstreamAttempts").asInt()).isEqualTo(3);
    }

    @Test
    void should_fetch_the_result_of_a_303_with_get() {
        upstream().stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(303)
                .withHeader("Location", "data-actions/da-1")));
        upstream().stubFor(get(urlPathEqualTo("/cxone/api/v2/data-actions/da-1")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(CREATED)));

        Api.Response response = create(VALID, "cid-see-other-1");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("id").asText()).isEqualTo("da-1");
        upstream().verify(exactly(1), getRequestedFor(urlPathEqualTo("/cxone/api/v2/data-actions/da-1"))
                .withHeader("X-Correlation-ID", equalTo("cid-see-other-1")));
    }

    @Test
    void should_not_follow_a_redirect_to_another_origin_with_the_token() {
        upstream().stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "https://elsewhere.example.com/steal")));

        Api.Response response = create(VALID, "cid-elsewhere-1");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().path("detail").asText()).contains("elsewhere.example.com");
        upstream().verify(exactly(1), postRequestedFor(urlPathMatching("/cxone/.*data-actions.*")));
    }

    @Test
    void should_describe_the_endpoint_in_the_openapi_document() {
        Api.Response openapi = api.send("GET", "/api/openapi.json", null, Map.of());

        assertThat(openapi.json().path("paths").path("/api/data-actions").has("post")).isTrue();
    }

    @Test
    void should_retry_a_failing_token_endpoint_before_measuring_the_headers() {
        stubCreated();
        gateway.platform("cxone").tokens().reject("test-token-cxone");
        String scenario = "token-unavailable-once";
        upstream().stubFor(post(urlPathEqualTo("/cxone/oauth/token")).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));

        Api.Response response = create(VALID, "cid-token-1");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        upstream().verify(exactly(2), postRequestedFor(urlPathEqualTo("/cxone/oauth/token")));
        upstream().verify(exactly(1), postRequestedFor(urlPathEqualTo(CREATE))
                .withHeader("Authorization", equalTo("Bearer test-token-cxone")));
    }
}
