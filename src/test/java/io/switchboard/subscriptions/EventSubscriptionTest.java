package io.switchboard.subscriptions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.switchboard.platform.audit.AuditEntry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code /api/events/subscriptions} against stubs of the CXone platform API, EventBridge's JSON 1.1 API
 * ({@code POST /} with {@code X-Amz-Target: AWSEvents.*}) and SQS's JSON 1.0 API ({@code AmazonSQS.*}); every
 * assertion is on the requests the stubs recorded.
 */
class EventSubscriptionTest extends IntegrationTestBase {

    static final String CONNECTIONS = "/cxone/api/v2/platform/eventbridgeconnections";
    static final String EVENTBRIDGE = "/aws/eventbridge/?";
    static final String SQS = "/aws/sqs/?";
    static final String AWS_JSON = "application/x-amz-json-1.1";
    static final String SQS_JSON = "application/x-amz-json-1.0";
    static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:switchboard-events";
    static final String QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/switchboard-events";

    @Autowired
    AuditLog audit;

    final ObjectMapper json = new ObjectMapper();

    static String body(String ruleName) {
        return body(ruleName, QUEUE_ARN, "");
    }

    static String body(String ruleName, String targetArn, String extra) {
        return """
                {"name": "%s-sub", "eventTypes": ["Interaction.Lifecycle.StageChanged", "Routing.StateChanged"],
                 "eventBusName": "cxone-bus", "awsAccountId": "123456789012", "awsRegion": "us-east-1",
                 "ruleName": "%s", "targetArn": "%s" %s}
                """.formatted(ruleName, ruleName, targetArn, extra);
    }

    static String ruleArn(String ruleName) {
        return "arn:aws:events:us-east-1:123456789012:rule/cxone-bus/" + ruleName;
    }

    void connectionAnswers(int status, String body) {
        upstream().stubFor(post(urlPathEqualTo(CONNECTIONS))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    static void eventBridgeAnswers(String operation, int status, String body) {
        upstream().stubFor(post(urlPathMatching(EVENTBRIDGE)).withHeader("X-Amz-Target", equalTo("AWSEvents." + operation))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", AWS_JSON).withBody(body)));
    }

    static void sqsAnswers(String operation, int status, String body) {
        upstream().stubFor(post(urlPathMatching(SQS)).withHeader("X-Amz-Target", equalTo("AmazonSQS." + operation))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", SQS_JSON).withBody(body)));
    }

    /** Nothing exists yet: no rule, no target, a queue without policy; every create succeeds. */
    @BeforeEach
    void nothingExists() {
        eventBridgeAnswers("DescribeRule", 400, "{\"__type\": \"ResourceNotFoundException\", \"message\": \"Rule does not exist\"}");
        eventBridgeAnswers("ListTargetsByRule", 200, "{\"Targets\": []}");
        eventBridgeAnswers("PutTargets", 200, "{\"FailedEntryCount\": 0, \"FailedEntries\": []}");
        sqsAnswers("GetQueueUrl", 200, "{\"QueueUrl\": \"" + QUEUE_URL + "\"}");
        sqsAnswers("GetQueueAttributes", 200, "{\"Attributes\": {}}");
        sqsAnswers("SetQueueAttributes", 200, "{}");
    }

    void ruleAnswers(String ruleName) {
        eventBridgeAnswers("PutRule", 200, "{\"RuleArn\": \"" + ruleArn(ruleName) + "\"}");
    }

    List<LoggedRequest> awsCalls(String operation) {
        return upstream().findAll(postRequestedFor(urlPathMatching("/aws/.*"))).stream()
                .filter(r -> r.getHeader("X-Amz-Target").endsWith("." + operation)).toList();
    }

    JsonNode bodyOf(LoggedRequest request) throws Exception {
        return json.readTree(request.getBodyAsString());
    }

    @Test
    void should_create_the_connection_the_rule_the_queue_policy_and_the_target_and_audit_each_step() throws Exception {
        connectionAnswers(201, "{\"id\": \"conn-42\", \"status\": \"active\"}");
        ruleAnswers("sub-ok");

        Api.Response response = api.post("/api/events/subscriptions", body("sub-ok"));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode created = response.json();
        assertThat(created.path("connection").path("id").asText()).isEqualTo("conn-42");
        assertThat(created.path("rule").path("arn").asText()).endsWith("rule/cxone-bus/sub-ok");
        assertThat(created.path("rule").path("eventPattern").path("source").get(0).asText())
                .isEqualTo("com.nice.cxone.interactions");
        assertThat(created.path("target").path("id").asText()).isEqualTo("sub-ok");
        assertThat(created.path("resources").toString())
                .isEqualTo("{\"connection\":\"created\",\"rule\":\"created\",\"queuePolicy\":\"created\",\"target\":\"created\"}");

        upstream().verify(postRequestedFor(urlPathEqualTo(CONNECTIONS))
                .withHeader("Authorization", equalTo("Bearer test-token-cxone"))
                .withRequestBody(matchingJsonPath("$.name", equalTo("sub-ok-sub")))
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

        // the queue policy: events.amazonaws.com may SendMessage, only for this rule
        JsonNode setPolicy = bodyOf(awsCalls("SetQueueAttributes").get(0));
        assertThat(setPolicy.path("QueueUrl").asText()).isEqualTo(QUEUE_URL);
        JsonNode policy = json.readTree(setPolicy.path("Attributes").path("Policy").asText());
        assertThat(policy.path("Statement")).hasSize(1);
        JsonNode grant = policy.path("Statement").get(0);
        assertThat(grant.path("Effect").asText()).isEqualTo("Allow");
        assertThat(grant.path("Principal").path("Service").asText()).isEqualTo("events.amazonaws.com");
        assertThat(grant.path("Action").asText()).isEqualTo("sqs:SendMessage");
        assertThat(grant.path("Resource").asText()).isEqualTo(QUEUE_ARN);
        assertThat(grant.path("Condition").path("ArnEquals").path("aws:SourceArn").asText()).isEqualTo(ruleArn("sub-ok"));
        assertThat(bodyOf(awsCalls("GetQueueUrl").get(0)).path("QueueName").asText()).isEqualTo("switchboard-events");

        // the target: retry policy defaults, no DLQ configured, no FIFO group on a standard queue
        JsonNode putTargets = bodyOf(awsCalls("PutTargets").get(0));
        assertThat(putTargets.path("Rule").asText()).isEqualTo("sub-ok");
        assertThat(putTargets.path("EventBusName").asText()).isEqualTo("cxone-bus");
        JsonNode target = putTargets.path("Targets").get(0);
        assertThat(target.path("Id").asText()).isEqualTo("sub-ok");
        assertThat(target.path("Arn").asText()).isEqualTo(QUEUE_ARN);
        assertThat(target.path("RetryPolicy").path("MaximumEventAgeInSeconds").asInt()).isEqualTo(86400);
        assertThat(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt()).isEqualTo(185);
        assertThat(target.has("DeadLetterConfig")).isFalse();
        assertThat(target.has("SqsParameters")).isFalse();

        List<AuditEntry> steps = audit.find("events", null, null, 50).stream()
                .filter(e -> e.action().startsWith("subscription.")).limit(4).toList();
        assertThat(steps).extracting(AuditEntry::action).containsExactly(
                "subscription.targets", "subscription.queuePolicy", "subscription.rule", "subscription.connection");
        assertThat(steps).allSatisfy(step -> {
            assertThat(step.outcome()).isEqualTo("success");
            assertThat(step.operator()).isEqualTo("tester");
        });
        assertThat(steps.get(2).targetId()).endsWith("rule/cxone-bus/sub-ok");
    }

    @Test
    void should_merge_the_grant_into_the_queue_policy_keeping_every_other_statement() throws Exception {
        connectionAnswers(201, "{\"id\": \"conn-46\", \"status\": \"active\"}");
        ruleAnswers("sub-merge");
        String existing = """
                {"Version": "2012-10-17", "Id": "team-policy", "Statement": [{"Sid": "AppSends", "Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"}, "Action": "sqs:SendMessage",
                 "Resource": "%s"}]}""".formatted(QUEUE_ARN);
        sqsAnswers("GetQueueAttributes", 200, json.writeValueAsString(java.util.Map.of("Attributes", java.util.Map.of("Policy", existing))));

        Api.Response response = api.post("/api/events/subscriptions", body("sub-merge"));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(bodyOf(awsCalls("GetQueueAttributes").get(0)).path("AttributeNames").get(0).asText()).isEqualTo("Policy");
        JsonNode policy = json.readTree(bodyOf(awsCalls("SetQueueAttributes").get(0)).path("Attributes").path("Policy").asText());
        assertThat(policy.path("Id").asText()).isEqualTo("team-policy");
        assertThat(policy.path("Statement")).hasSize(2);
        assertThat(policy.path("Statement").get(0).path("Sid").asText()).isEqualTo("AppSends");
        assertThat(policy.path("Statement").get(1).path("Condition").path("ArnEquals").path("aws:SourceArn").asText())
                .isEqualTo(ruleArn("sub-merge"));
        assertThat(response.json().path("notes").get(0).asText()).contains("were kept");
    }

    @Test
    void should_set_the_dead_letter_queue_retry_policy_and_fifo_group_of_the_target() throws Exception {
        connectionAnswers(201, "{\"id\": \"conn-47\", \"status\": \"active\"}");
        ruleAnswers("sub-fifo");
        String fifo = "arn:aws:sqs:us-east-1:123456789012:switchboard-events.fifo";

        Api.Response response = api.post("/api/events/subscriptions", body("sub-fifo", fifo, """
                , "deadLetterArn": "arn:aws:sqs:us-east-1:123456789012:switchboard-eventbridge-dlq",
                  "retryPolicy": {"maximumEventAgeSeconds": 3600, "maximumRetryAttempts": 10}"""));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode target = bodyOf(awsCalls("PutTargets").get(0)).path("Targets").get(0);
        assertThat(target.path("Arn").asText()).isEqualTo(fifo);
        assertThat(target.path("DeadLetterConfig").path("Arn").asText())
                .isEqualTo("arn:aws:sqs:us-east-1:123456789012:switchboard-eventbridge-dlq");
        assertThat(target.path("RetryPolicy").path("MaximumEventAgeInSeconds").asInt()).isEqualTo(3600);
        assertThat(target.path("RetryPolicy").path("MaximumRetryAttempts").asInt()).isEqualTo(10);
        // one message group per interaction: CXone's interaction id, as a path into the event
        assertThat(target.path("SqsParameters").path("MessageGroupId").asText()).isEqualTo("$.detail.interaction.id");
        assertThat(bodyOf(awsCalls("GetQueueUrl").get(0)).path("QueueName").asText()).isEqualTo("switchboard-events.fifo");
    }

    @Test
    void should_create_nothing_new_when_the_same_subscription_is_sent_again() throws Exception {
        connectionAnswers(201, "{\"id\": \"conn-48\", \"status\": \"active\"}");
        ruleAnswers("sub-again");
        assertThat(api.post("/api/events/subscriptions", body("sub-again")).status()).isEqualTo(201);
        // what AWS now holds, as the first request made it
        String pattern = bodyOf(awsCalls("PutRule").get(0)).path("EventPattern").asText();
        String policy = bodyOf(awsCalls("SetQueueAttributes").get(0)).path("Attributes").path("Policy").asText();
        JsonNode target = bodyOf(awsCalls("PutTargets").get(0)).path("Targets").get(0);
        upstream().resetRequests();
        eventBridgeAnswers("DescribeRule", 200, json.writeValueAsString(java.util.Map.of("Name", "sub-again",
                "Arn", ruleArn("sub-again"), "EventPattern", pattern, "State", "ENABLED", "EventBusName", "cxone-bus")));
        eventBridgeAnswers("ListTargetsByRule", 200, "{\"Targets\": [" + target + "]}");
        sqsAnswers("GetQueueAttributes", 200, json.writeValueAsString(java.util.Map.of("Attributes", java.util.Map.of("Policy", policy))));

        Api.Response again = api.post("/api/events/subscriptions", body("sub-again"));

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("existing").toString()).isEqualTo("[\"connection\",\"rule\",\"queuePolicy\",\"target\"]");
        assertThat(again.json().path("rule").path("arn").asText()).isEqualTo(ruleArn("sub-again"));
        upstream().verify(0, postRequestedFor(urlPathEqualTo(CONNECTIONS)));
        assertThat(awsCalls("PutRule")).isEmpty();
        assertThat(awsCalls("SetQueueAttributes")).isEmpty();
        assertThat(awsCalls("PutTargets")).isEmpty();
        assertThat(awsCalls("ListTargetsByRule")).hasSize(1);
        AuditEntry targets = audit.find("events", "subscription.targets", null, 1).get(0);
        assertThat(targets.payload().toString()).contains("existing");
    }

    @Test
    void should_skip_the_queue_policy_with_a_note_when_the_target_is_not_a_queue() throws Exception {
        connectionAnswers(201, "{\"id\": \"conn-49\", \"status\": \"active\"}");
        ruleAnswers("sub-lambda");

        Api.Response response = api.post("/api/events/subscriptions",
                body("sub-lambda", "arn:aws:lambda:us-east-1:123456789012:function:events", ""));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("resources").path("queuePolicy").asText()).isEqualTo("skipped");
        assertThat(response.json().path("notes").get(0).asText()).contains("not an SQS queue");
        assertThat(awsCalls("GetQueueUrl")).isEmpty();
        assertThat(awsCalls("SetQueueAttributes")).isEmpty();
        assertThat(awsCalls("PutTargets")).hasSize(1);
    }

    @Test
    void should_list_subscriptions_and_delete_target_rule_and_connection_in_that_order() throws Exception {
        connectionAnswers(201, "{\"id\": \"conn-50\", \"status\": \"active\"}");
        ruleAnswers("sub-del");
        assertThat(api.post("/api/events/subscriptions", body("sub-del")).status()).isEqualTo(201);

        JsonNode listed = api.get("/api/events/subscriptions").json().path("subscriptions");
        JsonNode mine = null;
        for (JsonNode s : listed) {
            if (s.path("name").asText().equals("sub-del-sub")) {
                mine = s;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("connection").path("id").asText()).isEqualTo("conn-50");
        assertThat(mine.path("rule").path("arn").asText()).isEqualTo(ruleArn("sub-del"));
        assertThat(mine.path("status").asText()).isEqualTo("active");

        upstream().resetRequests();
        eventBridgeAnswers("RemoveTargets", 200, "{\"FailedEntryCount\": 0, \"FailedEntries\": []}");
        eventBridgeAnswers("DeleteRule", 200, "{}");
        upstream().stubFor(delete(urlPathEqualTo(CONNECTIONS + "/conn-50")).willReturn(aResponse().withStatus(204)));

        Api.Response deleted = api.delete("/api/events/subscriptions/sub-del-sub");

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().path("removed").toString())
                .isEqualTo("{\"target\":\"removed\",\"rule\":\"removed\",\"connection\":\"removed\"}");
        List<String> order = upstream().getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .map(e -> e.getRequest().getHeader("X-Amz-Target") != null ? e.getRequest().getHeader("X-Amz-Target")
                        : e.getRequest().getMethod() + " " + e.getRequest().getUrl())
                .filter(call -> !call.contains("oauth")).toList();
        assertThat(order).containsExactly("AWSEvents.RemoveTargets", "AWSEvents.DeleteRule",
                "DELETE /cxone/api/v2/platform/eventbridgeconnections/conn-50");
        JsonNode removeTargets = bodyOf(awsCalls("RemoveTargets").get(0));
        assertThat(removeTargets.path("Rule").asText()).isEqualTo("sub-del");
        assertThat(removeTargets.path("Ids").get(0).asText()).isEqualTo("sub-del");
        assertThat(bodyOf(awsCalls("DeleteRule").get(0)).path("EventBusName").asText()).isEqualTo("cxone-bus");
        assertThat(audit.find("events", null, null, 10).stream().map(AuditEntry::action)
                .filter(a -> a.startsWith("subscription.delete")).limit(3).toList())
                .containsExactly("subscription.delete.connection", "subscription.delete.rule", "subscription.delete.target");
        assertThat(api.get("/api/events/subscriptions").body()).doesNotContain("sub-del-sub");
        assertThat(api.delete("/api/events/subscriptions/sub-del-sub").status()).isEqualTo(404);
    }

    @Test
    void should_report_what_still_exists_when_a_delete_step_fails_and_finish_when_repeated() throws Exception {
        connectionAnswers(201, "{\"id\": \"conn-51\", \"status\": \"active\"}");
        ruleAnswers("sub-half");
        assertThat(api.post("/api/events/subscriptions", body("sub-half")).status()).isEqualTo(201);
        eventBridgeAnswers("RemoveTargets", 200, "{\"FailedEntryCount\": 0, \"FailedEntries\": []}");
        eventBridgeAnswers("DeleteRule", 400, "{\"__type\": \"AccessDeniedException\", \"message\": \"not authorized to DeleteRule\"}");

        Api.Response failed = api.delete("/api/events/subscriptions/sub-half-sub");

        assertThat(failed.status()).as(failed.body()).isEqualTo(502);
        assertThat(failed.header("Content-Type")).startsWith("application/problem+json");
        assertThat(failed.json().path("step").asText()).isEqualTo("rule");
        assertThat(failed.json().path("remaining").toString()).contains("rule " + ruleArn("sub-half")).contains("connection conn-51");
        assertThat(failed.json().path("remaining").toString()).doesNotContain("target ");
        upstream().verify(0, deleteRequestedFor(urlPathMatching(CONNECTIONS + "/.*")));
        assertThat(audit.find("events", "subscription.delete.rule", null, 1).get(0).outcome()).isEqualTo("failure");

        // the target is gone already: a repeat finishes the rest
        eventBridgeAnswers("RemoveTargets", 400, "{\"__type\": \"ResourceNotFoundException\", \"message\": \"Rule sub-half does not exist\"}");
        eventBridgeAnswers("DeleteRule", 200, "{}");
        upstream().stubFor(delete(urlPathEqualTo(CONNECTIONS + "/conn-51")).willReturn(aResponse().withStatus(404)));
        Api.Response repeated = api.delete("/api/events/subscriptions/sub-half-sub");
        assertThat(repeated.status()).as(repeated.body()).isEqualTo(200);
        assertThat(repeated.json().path("removed").toString())
                .isEqualTo("{\"target\":\"absent\",\"rule\":\"removed\",\"connection\":\"absent\"}");
    }

    @Test
    void should_subscribe_through_genesys_clouds_eventbridge_integration_and_its_partner_bus() throws Exception {
        String integrations = "/genesys/api/v2/integrations";
        upstream().stubFor(post(urlPathEqualTo(integrations)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"int-7\", \"version\": 1}")));
        upstream().stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(urlPathEqualTo(integrations + "/int-7/config/current"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"version\": 2}")));
        upstream().stubFor(com.github.tomakehurst.wiremock.client.WireMock.patch(urlPathEqualTo(integrations + "/int-7"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"id\": \"int-7\"}")));
        String source = "aws.partner/genesys.com/cloud/11111111-2222-4333-8444-555555555555/gc-conversations";
        eventBridgeAnswers("ListEventSources", 200, "{\"EventSources\": [{\"Name\": \"aws.partner/genesys.com/cloud/x/other\"},"
                + " {\"Name\": \"" + source + "\", \"State\": \"PENDING\"}]}");
        eventBridgeAnswers("CreateEventBus", 200, "{\"EventBusArn\": \"arn:aws:events:us-east-1:123456789012:event-bus/" + source + "\"}");
        eventBridgeAnswers("PutRule", 200, "{\"RuleArn\": \"arn:aws:events:us-east-1:123456789012:rule/" + source + "/gc-rule\"}");

        Api.Response response = api.post("/api/events/subscriptions", """
                {"platform": "genesys", "name": "gc-sub", "awsAccountId": "123456789012", "awsRegion": "us-east-1",
                 "eventSourceSuffix": "gc-conversations", "ruleName": "gc-rule",
                 "topicFilters": ["v2.detail.events.conversation.{id}.customer.start", "v2.detail.events.conversation.{id}.customer.end"],
                 "targetArn": "arn:aws:sqs:us-east-1:123456789012:switchboard-events.fifo"}""");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("connection").path("id").asText()).isEqualTo("int-7");
        assertThat(response.json().path("eventSource").asText()).isEqualTo(source);
        assertThat(response.json().path("rule").path("eventBusName").asText()).isEqualTo(source);
        upstream().verify(postRequestedFor(urlPathEqualTo(integrations))
                .withHeader("Authorization", equalTo("Bearer test-token-genesys"))
                .withRequestBody(matchingJsonPath("$.integrationType.id", equalTo("amazon-eventbridge-source"))));
        upstream().verify(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlPathEqualTo(integrations + "/int-7/config/current"))
                .withRequestBody(matchingJsonPath("$.properties.awsAccountId", equalTo("123456789012")))
                .withRequestBody(matchingJsonPath("$.properties.awsAccountRegion", equalTo("us-east-1")))
                .withRequestBody(matchingJsonPath("$.properties.eventSourceSuffix", equalTo("gc-conversations")))
                .withRequestBody(matchingJsonPath("$.properties.eventFilter[1]",
                        equalTo("v2.detail.events.conversation.{id}.customer.end"))));
        upstream().verify(com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(urlPathEqualTo(integrations + "/int-7"))
                .withRequestBody(matchingJsonPath("$.intendedState", equalTo("ENABLED"))));
        assertThat(bodyOf(awsCalls("ListEventSources").get(0)).path("NamePrefix").asText()).isEqualTo("aws.partner/genesys.com");
        JsonNode bus = bodyOf(awsCalls("CreateEventBus").get(0));
        assertThat(bus.path("Name").asText()).isEqualTo(source);
        assertThat(bus.path("EventSourceName").asText()).isEqualTo(source);
        JsonNode rule = bodyOf(awsCalls("PutRule").get(0));
        assertThat(rule.path("EventBusName").asText()).isEqualTo(source);
        assertThat(json.readTree(rule.path("EventPattern").asText()).path("source").get(0).asText()).isEqualTo(source);
        JsonNode target = bodyOf(awsCalls("PutTargets").get(0)).path("Targets").get(0);
        assertThat(target.path("SqsParameters").path("MessageGroupId").asText())
                .isEqualTo("$.detail.eventBody.conversationId");
        // the order of the steps: integration, partner source, bus, rule, queue policy, target
        List<String> order = upstream().getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .map(e -> e.getRequest().getHeader("X-Amz-Target") != null ? e.getRequest().getHeader("X-Amz-Target")
                        : e.getRequest().getMethod() + " " + e.getRequest().getUrl())
                .filter(call -> !call.contains("oauth")).toList();
        assertThat(order).containsSubsequence("POST /genesys/api/v2/integrations", "PUT /genesys/api/v2/integrations/int-7/config/current",
                "PATCH /genesys/api/v2/integrations/int-7", "AWSEvents.ListEventSources", "AWSEvents.CreateEventBus",
                "AWSEvents.PutRule", "AmazonSQS.SetQueueAttributes", "AWSEvents.PutTargets");

        // and removed in reverse: target, rule, integration
        eventBridgeAnswers("RemoveTargets", 200, "{\"FailedEntryCount\": 0, \"FailedEntries\": []}");
        eventBridgeAnswers("DeleteRule", 200, "{}");
        upstream().stubFor(delete(urlPathEqualTo(integrations + "/int-7")).willReturn(aResponse().withStatus(200)));
        assertThat(api.delete("/api/events/subscriptions/gc-sub").status()).isEqualTo(200);
        upstream().verify(deleteRequestedFor(urlPathEqualTo(integrations + "/int-7")));
    }

    @Test
    void should_report_the_integration_when_genesys_clouds_partner_source_has_not_appeared_yet() {
        upstream().stubFor(post(urlPathEqualTo("/genesys/api/v2/integrations")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"int-8\"}")));
        upstream().stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(urlPathMatching("/genesys/api/v2/integrations/int-8.*"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
        upstream().stubFor(com.github.tomakehurst.wiremock.client.WireMock.patch(urlPathEqualTo("/genesys/api/v2/integrations/int-8"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
        eventBridgeAnswers("ListEventSources", 200, "{\"EventSources\": []}");

        Api.Response response = api.post("/api/events/subscriptions", """
                {"platform": "genesys", "name": "gc-early", "awsAccountId": "123456789012", "awsRegion": "us-east-1",
                 "ruleName": "gc-early", "topicFilters": ["v2.users.{id}.presence"],
                 "targetArn": "arn:aws:sqs:us-east-1:123456789012:switchboard-events"}""");

        assertThat(response.status()).as(response.body()).isEqualTo(502);
        assertThat(response.json().path("step").asText()).isEqualTo("eventSource");
        assertThat(response.json().path("created").path("connectionId").asText()).isEqualTo("int-8");
        assertThat(response.json().path("detail").asText()).contains("repeat the POST");
        assertThat(awsCalls("PutRule")).isEmpty();
    }

    @Test
    void should_answer_502_not_400_when_genesys_cloud_answers_the_integration_create_with_something_that_is_not_json() {
        upstream().stubFor(post(urlPathEqualTo("/genesys/api/v2/integrations")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"int-")));

        Api.Response response = api.post("/api/events/subscriptions", """
                {"platform": "genesys", "name": "gc-unreadable", "awsAccountId": "123456789012", "awsRegion": "us-east-1",
                 "ruleName": "gc-unreadable", "topicFilters": ["v2.users.{id}.presence"],
                 "targetArn": "arn:aws:sqs:us-east-1:123456789012:switchboard-events"}""");

        assertThat(response.status()).as(response.body()).isEqualTo(502);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("step").asText()).isEqualTo("connection");
        assertThat(response.json().path("detail").asText()).contains("Genesys Cloud answered 200", "could not read");
        assertThat(response.json().path("upstreamStatus").asInt()).isEqualTo(200);
        assertThat(response.json().has("errors")).isFalse();
        upstream().verify(0, com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(
                urlPathMatching("/genesys/api/v2/integrations/.*")));
        AuditEntry failed = audit.find("events", "subscription.connection", null, 1).get(0);
        assertThat(failed.outcome()).isEqualTo("failure");
        assertThat(failed.httpStatus()).isEqualTo(200);
    }

    @Test
    void should_name_the_failed_step_and_what_exists_when_put_targets_refuses_the_target() {
        connectionAnswers(201, "{\"id\": \"conn-43\", \"status\": \"active\"}");
        ruleAnswers("sub-t");
        eventBridgeAnswers("PutTargets", 200, """
                {"FailedEntryCount": 1, "FailedEntries": [{"TargetId": "sub-t", "ErrorCode": "AccessDeniedException",
                 "ErrorMessage": "Access to the resource is denied"}]}""");

        Api.Response response = api.post("/api/events/subscriptions", body("sub-t"));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("step").asText()).isEqualTo("targets");
        assertThat(response.json().path("created").path("connectionId").asText()).isEqualTo("conn-43");
        assertThat(response.json().path("created").path("ruleArn").asText()).endsWith("rule/cxone-bus/sub-t");
        assertThat(response.json().path("created").path("queuePolicy").asText()).isEqualTo("SwitchboardEventBridgesubt");
        assertThat(response.json().path("detail").asText()).contains("AccessDeniedException").contains("conn-43");
        AuditEntry failed = audit.find("events", "subscription.targets", null, 1).get(0);
        assertThat(failed.outcome()).isEqualTo("failure");
        assertThat(failed.error()).contains("AccessDeniedException");
        // recorded as incomplete: a DELETE can remove what exists
        assertThat(api.get("/api/events/subscriptions").body()).contains("\"status\":\"incomplete\"");
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
        assertThat(awsCalls("PutTargets")).isEmpty();
        AuditEntry failed = audit.find("events", "subscription.rule", null, 1).get(0);
        assertThat(failed.outcome()).isEqualTo("failure");
        assertThat(failed.httpStatus()).isEqualTo(400);
    }

    @Test
    void should_answer_like_cxone_when_the_first_step_fails_and_create_nothing_else() {
        connectionAnswers(409, "{\"message\": \"A connection named sub-c-sub exists\"}");

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
                 "awsRegion": "Mars", "ruleName": "r", "targetArn": "not-an-arn", "extra": 1,
                 "retryPolicy": {"maximumRetryAttempts": 500}, "deadLetterArn": "arn:aws:sns:us-east-1:123456789012:t"}""");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field"))
                .contains("name", "eventTypes", "awsAccountId", "awsRegion", "targetArn",
                        "retryPolicy.maximumRetryAttempts", "deadLetterArn");
        upstream().verify(0, postRequestedFor(urlPathEqualTo(CONNECTIONS)));
    }
}
