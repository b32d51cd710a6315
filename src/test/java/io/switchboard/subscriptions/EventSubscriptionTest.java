package io.switchboard.subscriptions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.platform.audit.AuditEntry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code POST /api/events/subscriptions} against stubs of the CXone platform API and of EventBridge's JSON 1.1
 * API ({@code POST /} with {@code X-Amz-Target: AWSEvents.PutRule | AWSEvents.PutTargets}).
 */
class EventSubscriptionTest extends IntegrationTestBase {

    static final String CONNECTIONS = "/cxone/api/v2/platform/eventbridgeconnections";
    static final String EVENTBRIDGE = "/aws/eventbridge/?";
    static final String AWS_JSON = "application/x-amz-json-1.1";

    @Autowired
    AuditLog audit;

    static String body(String ruleName) {
        return """
                {"name": "cxone-interactions", "eventTypes": ["Interaction.Lifecycle.StageChanged", "Routing.StateChanged"],
                 "eventBusName": "cxone-bus", "awsAccountId": "123456789012", "awsRegion": "us-east-1",
                 "ruleName": "%s", "targetArn": "arn:aws:sqs:us-east-1:123456789012:switchboard-events"}
                """.formatted(ruleName);
    }

    void connectionAnswers(int status, String body) {
        upstream().stubFor(post(urlPathEqualTo(CONNECTIONS))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    void eventBridgeAnswers(String operation, int status, String body) {
        upstream().stubFor(post(urlPathMatching(EVENTBRIDGE)).withHeader("X-Amz-Target", equalTo("AWSEvents." + operation))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", AWS_JSON).withBody(body)));
    }

    @Test
    void should_create_the_connection_the_rule_and_its_target_and_audit_each_step() {
        connectionAnswers(201, "{\"id\": \"conn-42\", \"status\": \"active\"}");
        eventBridgeAnswers("PutRule", 200, "{\"RuleArn\": \"arn:aws:events:us-east-1:123456789012:rule/cxone-bus/sub-ok\"}");
        eventBridgeAnswers("PutTargets", 200, "{\"FailedEntryCount\": 0, \"FailedEntries\": []}");

        Api.Response response = api.post("/api/events/subscriptions", body("sub-ok"));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode created = response.json();
        assertThat(created.path("connection").path("id").asText()).isEqualTo("conn-42");
        assertThat(created.path("rule").path("arn").asText()).endsWith("rule/cxone-bus/sub-ok");
        assertThat(created.path("rule").path("eventPattern").path("source").get(0).asText())
                .isEqualTo("com.nice.cxone.interactions");
        assertThat(created.path("target").path("id").asText()).isEqualTo("sub-ok");

        upstream().verify(postRequestedFor(urlPathEqualTo(CONNECTIONS))
                .withHeader("Authorization", equalTo("Bearer test-token-cxone"))
                .withRequestBody(matchingJsonPath("$.name", equalTo("cxone-interactions")))
                .withRequestBody(matchingJsonPath("$.awsAccountId", equalTo("123456789012")))
                .withRequestBody(matchingJsonPath("$.eventBusName", equalTo("cxone-bus")))
                .withRequestBody(matchingJsonPath("$.eventTypes[1]", equalTo("Routing.StateChanged"))));
        upstream().verify(postRequestedFor(urlPathMatching(EVENTBRIDGE))
                .withHeader("X-Amz-Target", equalTo("AWSEvents.PutRule"))
                .withHeader("Content-Type", equalTo(AWS_JSON))
                .withRequestBody(matchingJsonPath("$.Name", equalTo("sub-ok")))
                .withRequestBody(matchingJsonPath("$.EventBusName", equalTo("cxone-bus")))
                .withRequestBody(matchingJsonPath("$.State", equalTo("ENABLED")))
                .withRequestBody(matchingJsonPath("$.EventPattern", equalToJson("""
                        {"source": ["com.nice.cxone.interactions"],
                         "detail-type": ["Interaction.Lifecycle.StageChanged", "Routing.StateChanged"]}"""))));
        upstream().verify(postRequestedFor(urlPathMatching(EVENTBRIDGE))
                .withHeader("X-Amz-Target", equalTo("AWSEvents.PutTargets"))
                .withRequestBody(matchingJsonPath("$.Rule", equalTo("sub-ok")))
                .withRequestBody(matchingJsonPath("$.EventBusName", equalTo("cxone-bus")))
                .withRequestBody(matchingJsonPath("$.Targets[0].Id", equalTo("sub-ok")))
                .withRequestBody(matchingJsonPath("$.Targets[0].Arn",
                        equalTo("arn:aws:sqs:us-east-1:123456789012:switchboard-events"))));

        List<AuditEntry> steps = audit.find("events", null, null, 50).stream()
                .filter(e -> e.action().startsWith("subscription.")).limit(3).toList();
        assertThat(steps).extracting(AuditEntry::action)
                .containsExactly("subscription.targets", "subscription.rule", "subscription.connection");
        assertThat(steps).allSatisfy(step -> {
            assertThat(step.outcome()).isEqualTo("success");
            assertThat(step.operator()).isEqualTo("tester");
        });
        assertThat(steps.get(1).targetId()).endsWith("rule/cxone-bus/sub-ok");
    }

    @Test
    void should_name_the_failed_step_and_what_exists_when_put_targets_refuses_the_target() {
        connectionAnswers(201, "{\"id\": \"conn-43\", \"status\": \"active\"}");
        eventBridgeAnswers("PutRule", 200, "{\"RuleArn\": \"arn:aws:events:us-east-1:123456789012:rule/cxone-bus/sub-t\"}");
        eventBridgeAnswers("PutTargets", 200, """
                {"FailedEntryCount": 1, "FailedEntries": [{"TargetId": "sub-t", "ErrorCode": "AccessDeniedException",
                 "ErrorMessage": "Access to the resource is denied"}]}""");

        Api.Response response = api.post("/api/events/subscriptions", body("sub-t"));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("step").asText()).isEqualTo("targets");
        assertThat(response.json().path("created").path("connectionId").asText()).isEqualTo("conn-43");
        assertThat(response.json().path("created").path("ruleArn").asText()).endsWith("rule/cxone-bus/sub-t");
        assertThat(response.json().path("detail").asText()).contains("AccessDeniedException").contains("conn-43");
        AuditEntry failed = audit.find("events", "subscription.targets", null, 1).get(0);
        assertThat(failed.outcome()).isEqualTo("failure");
        assertThat(failed.error()).contains("AccessDeniedException");
    }

    @Test
    void should_report_the_connection_already_created_when_put_rule_fails() {
        connectionAnswers(201, "{\"id\": \"conn-44\", \"status\": \"active\"}");
        eventBridgeAnswers("PutRule", 400, "{\"__type\": \"ValidationException\", \"message\": \"Event pattern is not valid\"}");

        Api.Response response = api.post("/api/events/subscriptions", body("sub-r"));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().path("step").asText()).isEqualTo("rule");
        assertThat(response.json().path("created").path("connectionId").asText()).isEqualTo("conn-44");
        assertThat(response.json().path("created").has("ruleArn")).isFalse();
        assertThat(response.json().path("detail").asText()).contains("ValidationException");
        upstream().verify(0, postRequestedFor(urlPathMatching(EVENTBRIDGE))
                .withHeader("X-Amz-Target", equalTo("AWSEvents.PutTargets")));
        AuditEntry failed = audit.find("events", "subscription.rule", null, 1).get(0);
        assertThat(failed.outcome()).isEqualTo("failure");
        assertThat(failed.httpStatus()).isEqualTo(400);
    }

    @Test
    void should_answer_like_cxone_when_the_first_step_fails_and_create_nothing_else() {
        connectionAnswers(409, "{\"message\": \"A connection named cxone-interactions exists\"}");

        Api.Response response = api.post("/api/events/subscriptions", body("sub-c"));

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.json().path("step").asText()).isEqualTo("connection");
        assertThat(response.json().path("created").isEmpty()).isTrue();
        upstream().verify(0, postRequestedFor(urlPathMatching(EVENTBRIDGE)));
        assertThat(audit.find("events", "subscription.connection", null, 1).get(0).outcome()).isEqualTo("failure");
    }

    @Test
    void should_refuse_an_invalid_subscription_naming_every_field() {
        Api.Response response = api.post("/api/events/subscriptions", """
                {"name": "", "eventTypes": [], "eventBusName": "bus", "awsAccountId": "12345",
                 "awsRegion": "Mars", "ruleName": "r", "targetArn": "not-an-arn", "extra": 1}""");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field"))
                .contains("name", "eventTypes", "awsAccountId", "awsRegion", "targetArn");
        upstream().verify(0, postRequestedFor(urlPathEqualTo(CONNECTIONS)));
    }
}
