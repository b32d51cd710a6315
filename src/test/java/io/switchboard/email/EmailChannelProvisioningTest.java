package io.switchboard.email;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.switchboard.platform.audit.AuditEntry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** POST /api/email/channels: validate, create on CXone, connectivity test, audit, 201 {channel, test}. */
class EmailChannelProvisioningTest extends IntegrationTestBase {

    static final String CHANNELS = "/cxone/api/v1/email/channels";
    static final String CHANNEL = """
            {"name":"prod-smtp-relay","type":"smtp","smtpSettings":{"server":"smtp.relay.example.com","port":587,
             "username":"api-user","password":"relay-canary-password-77","tlsEnabled":true,"authMechanism":"LOGIN",
             "timeoutMs":15000},"isDefault":false,"maxRetryCount":3}""";

    @Autowired
    AuditLog audit;

    private void channelIsCreated(String id) {
        upstream().stubFor(post(urlPathEqualTo(CHANNELS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + id + "\",\"name\":\"prod-smtp-relay\",\"type\":\"smtp\",\"status\":\"active\"}")));
    }

    private void testAnswers(String id, String json) {
        upstream().stubFor(post(urlPathEqualTo(CHANNELS + "/" + id + "/test")).willReturn(okJson(json)));
    }

    private List<AuditEntry> emailAudit() {
        return audit.find("email", null, null, 50);
    }

    @Test
    void should_create_the_channel_run_its_test_and_answer_201_with_both() {
        channelIsCreated("ch-1");
        testAnswers("ch-1", """
                {"channelId":"ch-1","success":true,"statusCode":250,"errorCodes":[],"latencyMs":42,
                 "message":"250 2.0.0 OK"}""");

        Api.Response response = api.post("/api/email/channels", CHANNEL);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode body = response.json();
        assertThat(body.path("channel").path("id").asText()).isEqualTo("ch-1");
        assertThat(body.path("channel").path("name").asText()).isEqualTo("prod-smtp-relay");
        assertThat(body.path("channel").path("status").asText()).isEqualTo("active");
        assertThat(body.path("test").path("success").asBoolean()).isTrue();
        assertThat(body.path("test").path("statusCode").asInt()).isEqualTo(250);
        assertThat(body.path("test").path("errorCodes")).isEmpty();
        assertThat(body.path("test").path("latencyMs").asInt()).isEqualTo(42);
        assertThat(body.path("test").path("message").asText()).isEqualTo("250 2.0.0 OK");
        assertThat(response.body()).doesNotContain("relay-canary-password-77");

        upstream().verify(exactly(1), postRequestedFor(urlPathEqualTo(CHANNELS))
                .withRequestBody(equalToJson(CHANNEL)));
        upstream().verify(exactly(1), postRequestedFor(urlPathEqualTo(CHANNELS + "/ch-1/test")));
    }

    @Test
    void should_audit_the_creation_with_the_password_masked_and_the_test() {
        channelIsCreated("ch-2");
        testAnswers("ch-2", "{\"success\":true,\"statusCode\":250,\"errorCodes\":[],\"latencyMs\":7,\"message\":\"ok\"}");

        assertThat(api.post("/api/email/channels", CHANNEL).status()).isEqualTo(201);

        List<AuditEntry> entries = emailAudit();
        AuditEntry create = entries.stream().filter(e -> e.action().equals("channel.create")).findFirst().orElseThrow();
        assertThat(create.outcome()).isEqualTo("success");
        assertThat(create.httpStatus()).isEqualTo(201);
        assertThat(create.targetId()).isEqualTo("ch-2");
        assertThat(create.operator()).isEqualTo("tester");
        assertThat(create.correlationId()).isNotBlank();
        assertThat(create.payload().path("smtpSettings").path("password").asText()).isEqualTo("***");
        assertThat(create.payload().path("smtpSettings").path("server").asText()).isEqualTo("smtp.relay.example.com");
        assertThat(create.payload().toString()).doesNotContain("relay-canary-password-77");
        AuditEntry test = entries.stream().filter(e -> e.action().equals("channel.test")).findFirst().orElseThrow();
        assertThat(test.outcome()).isEqualTo("success");
        assertThat(test.targetId()).isEqualTo("ch-2");
    }

    @Test
    void should_report_and_audit_a_failed_connectivity_test_in_the_201_answer() {
        channelIsCreated("ch-3");
        testAnswers("ch-3", """
                {"channelId":"ch-3","success":false,"statusCode":535,"errorCodes":["535","530"],"latencyMs":1203,
                 "message":"535 5.7.8 Authentication credentials invalid"}""");

        Api.Response response = api.post("/api/email/channels", CHANNEL);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode test = response.json().path("test");
        assertThat(test.path("success").asBoolean()).isFalse();
        assertThat(test.path("statusCode").asInt()).isEqualTo(535);
        assertThat(test.path("errorCodes")).extracting(JsonNode::asText).containsExactly("535", "530");
        assertThat(test.path("message").asText()).contains("Authentication credentials invalid");

        AuditEntry audited = emailAudit().stream().filter(e -> e.action().equals("channel.test")).findFirst().orElseThrow();
        assertThat(audited.outcome()).isEqualTo("failure");
        assertThat(audited.targetId()).isEqualTo("ch-3");
        assertThat(audited.error()).contains("535", "530");
        assertThat(emailAudit().stream().filter(e -> e.action().equals("channel.create")).findFirst().orElseThrow()
                .outcome()).isEqualTo("success");
    }

    @Test
    void should_report_a_test_answer_that_is_not_json_as_a_test_that_could_not_run_in_the_201_answer() {
        channelIsCreated("ch-5");
        upstream().stubFor(post(urlPathEqualTo(CHANNELS + "/ch-5/test")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>maintenance</html>")));

        Api.Response response = api.post("/api/email/channels", CHANNEL);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode test = response.json().path("test");
        assertThat(test.path("success").asBoolean()).isFalse();
        assertThat(test.path("upstreamStatus").asInt()).isEqualTo(200);
        assertThat(test.path("message").asText()).contains("could not run", "CXone answered 200", "not JSON");
        assertThat(response.body()).doesNotContain("maintenance");
        upstream().verify(exactly(1), postRequestedFor(urlPathEqualTo(CHANNELS + "/ch-5/test")));
        AuditEntry audited = emailAudit().stream().filter(e -> e.action().equals("channel.test")).findFirst().orElseThrow();
        assertThat(audited.outcome()).isEqualTo("failure");
        assertThat(audited.httpStatus()).isEqualTo(200);
    }

    @Test
    void should_report_a_test_that_could_not_run_after_the_shared_retries_in_the_201_answer() {
        channelIsCreated("ch-4");
        upstream().stubFor(post(urlPathEqualTo(CHANNELS + "/ch-4/test")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"test service down\"}")));

        Api.Response response = api.post("/api/email/channels", CHANNEL);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("channel").path("id").asText()).isEqualTo("ch-4");
        JsonNode test = response.json().path("test");
        assertThat(test.path("success").asBoolean()).isFalse();
        assertThat(test.path("upstreamStatus").asInt()).isEqualTo(503);
        assertThat(test.path("message").asText()).contains("503", "test service down", "4 attempts");
        upstream().verify(exactly(4), postRequestedFor(urlPathEqualTo(CHANNELS + "/ch-4/test")));
        AuditEntry audited = emailAudit().stream().filter(e -> e.action().equals("channel.test")).findFirst().orElseThrow();
        assertThat(audited.outcome()).isEqualTo("failure");
        assertThat(audited.httpStatus()).isEqualTo(503);
    }

    @Test
    void should_answer_409_when_cxone_already_has_the_channel_and_audit_the_attempt() {
        upstream().stubFor(post(urlPathEqualTo(CHANNELS)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"conflict\",\"message\":\"An email channel named 'prod-smtp-relay' already exists\"}")));

        Api.Response response = api.post("/api/email/channels", CHANNEL);

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("detail").asText()).contains("already exists");
        upstream().verify(exactly(1), postRequestedFor(urlPathEqualTo(CHANNELS)));
        upstream().verify(exactly(0), postRequestedFor(urlPathMatching(CHANNELS + "/.*/test")));
        AuditEntry audited = emailAudit().get(0);
        assertThat(audited.action()).isEqualTo("channel.create");
        assertThat(audited.outcome()).isEqualTo("failure");
        assertThat(audited.httpStatus()).isEqualTo(409);
        assertThat(audited.payload().path("smtpSettings").path("password").asText()).isEqualTo("***");
    }

    @Test
    void should_retry_a_throttled_creation_through_the_shared_mechanism() {
        upstream().stubFor(post(urlPathEqualTo(CHANNELS)).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("open"));
        upstream().stubFor(post(urlPathEqualTo(CHANNELS)).inScenario("throttled").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"ch-5\",\"name\":\"prod-smtp-relay\",\"status\":\"active\"}")));
        testAnswers("ch-5", "{\"success\":true,\"statusCode\":250,\"errorCodes\":[],\"latencyMs\":3,\"message\":\"ok\"}");

        Api.Response response = api.post("/api/email/channels", CHANNEL);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("channel").path("id").asText()).isEqualTo("ch-5");
        upstream().verify(exactly(2), postRequestedFor(urlPathEqualTo(CHANNELS)));
    }

    @Test
    void should_name_every_invalid_field_and_call_nothing() {
        Api.Response response = api.post("/api/email/channels", """
                {"name":"","type":"imap","smtpSettings":{"server":"https://relay","port":25,"tlsEnabled":true,
                 "authMechanism":"LOGIN","timeoutMs":5},"maxRetryCount":99,"colour":"red"}""");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("errors").findValuesAsText("field")).contains(
                "name", "type", "smtpSettings.server", "smtpSettings.port", "smtpSettings.username",
                "smtpSettings.password", "smtpSettings.timeoutMs", "maxRetryCount");
        upstream().verify(exactly(0), postRequestedFor(urlPathEqualTo(CHANNELS)));
        AuditEntry audited = emailAudit().get(0);
        assertThat(audited.action()).isEqualTo("channel.create");
        assertThat(audited.outcome()).isEqualTo("failure");
        assertThat(audited.httpStatus()).isEqualTo(400);
    }

    @Test
    void should_document_the_email_endpoints_in_the_openapi_document() {
        JsonNode paths = api.send("GET", "/api/openapi.json", null, java.util.Map.of()).json().path("paths");
        assertThat(paths.has("/api/email/channels")).isTrue();
        assertThat(paths.has("/api/email/smtp-test")).isTrue();
        assertThat(paths.has("/api/email/delivery/summary")).isTrue();
    }

    @Test
    void should_require_the_name_and_the_smtp_settings() {
        Api.Response response = api.post("/api/email/channels", "{}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field")).contains("name", "smtpSettings");
    }

    @Test
    void should_answer_malformed_json_with_400_and_never_store_the_password() {
        // the body door (docs/http-input.md) refuses it before the workflow runs: nothing reaches CXone or the audit
        Api.Response response = api.post("/api/email/channels",
                "{\"name\":\"x\",\"smtpSettings\":{\"password\":\"broken-canary-secret\"");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("broken-canary-secret");
        assertThat(emailAudit()).noneSatisfy(audited ->
                assertThat(String.valueOf(audited.payload())).contains("broken-canary-secret"));
    }
}
