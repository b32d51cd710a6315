package io.switchboard.platform.sandbox;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the sandbox's simulated upstream APIs (WireMock mappings under {@code config/sandbox}) answer
 * as designed. Plain JUnit, no Spring: the test runs with the project root as working directory.
 */
class SandboxSimulatorMappingsTest {

    private static final String SANDBOX_DIR = "config/sandbox";
    private static final String UUID_REGEX =
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final String RULES = "/cxone/api/v2/routing/interactionroutingrules";
    private static final String BEARER = "Bearer sandbox-test-token";

    private static WireMockServer server;
    private static HttpClient http;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startSimulator() {
        server = new WireMockServer(options().dynamicPort().usingFilesUnderDirectory(SANDBOX_DIR));
        server.start();
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stopSimulator() {
        if (server != null) {
            server.stop();
        }
    }

    @AfterEach
    void everyRequestHitADesignedStub() {
        assertThat(server.findAllUnmatchedRequests()).as("requests no stub answered").isEmpty();
        server.resetRequests();
    }

    // ------------------------------------------------------------------ loading

    @Test
    void everyMappingFileIsLoaded() throws IOException {
        long files;
        try (Stream<Path> list = Files.list(Path.of(SANDBOX_DIR, "mappings"))) {
            files = list.filter(p -> p.toString().endsWith(".json")).count();
        }
        assertThat(files).isGreaterThan(0);
        assertThat(server.getStubMappings()).hasSize((int) files);
    }

    // ------------------------------------------------------------------ OAuth2

    @Test
    void tokenEndpointsIssueBearerTokensForClientCredentials() throws Exception {
        for (String platform : List.of("cxone", "genesys")) {
            HttpResponse<String> ok = send(HttpRequest.newBuilder(uri("/" + platform + "/oauth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(body("grant_type=client_credentials&client_id=sandbox&client_secret=sandbox")));
            assertThat(ok.statusCode()).as(platform).isEqualTo(200);
            JsonNode token = json(ok);
            assertThat(token.path("access_token").asText()).matches("sandbox-" + UUID_REGEX);
            assertThat(token.path("token_type").asText()).isEqualTo("Bearer");
            assertThat(token.path("expires_in").asInt()).isEqualTo(3600);

            HttpResponse<String> noGrant = send(HttpRequest.newBuilder(uri("/" + platform + "/oauth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(body("client_id=sandbox")));
            assertThat(noGrant.statusCode()).as(platform).isEqualTo(400);
            assertThat(json(noGrant).path("error").asText()).isEqualTo("invalid_request");

            // JSON sent with a form content type is not a token request (a common client mistake).
            HttpResponse<String> jsonGrant = send(HttpRequest.newBuilder(uri("/" + platform + "/oauth/token"))
                    .header("Content-Type", "application/json")
                    .POST(body("{\"grant_type\":\"client_credentials\"}")));
            assertThat(jsonGrant.statusCode()).as(platform).isEqualTo(400);
        }
    }

    @Test
    void apiCallsWithoutBearerTokenAreUnauthorized() throws Exception {
        HttpResponse<String> cxone = send(HttpRequest.newBuilder(uri(RULES + "/rule-a")).GET());
        assertThat(cxone.statusCode()).isEqualTo(401);
        HttpResponse<String> genesys = send(HttpRequest.newBuilder(uri("/genesys/api/v2/outbound/integrations"))
                .header("Content-Type", "application/json")
                .POST(body("{\"name\":\"x\"}")));
        assertThat(genesys.statusCode()).isEqualTo(401);
        assertThat(json(genesys).path("status").asInt()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ CXone email (docs/api.md#email-smtp-relay-channels)

    @Test
    void emailChannelIsCreatedWithIdAndName() throws Exception {
        HttpResponse<String> created = postJson("/cxone/api/v1/email/channels", """
                {"name":"prod-smtp-relay","type":"smtp","smtpSettings":{"server":"smtp.relay.example.com",
                 "port":587,"username":"api-user","password":"secret","tlsEnabled":true,
                 "authMechanism":"LOGIN","timeoutMs":15000},"isDefault":false,"maxRetryCount":3}""");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode channel = json(created);
        assertThat(channel.path("id").asText()).matches(UUID_REGEX);
        assertThat(channel.path("name").asText()).isEqualTo("prod-smtp-relay");
        assertThat(channel.path("status").asText()).isEqualTo("active");
        assertThat(created.body()).doesNotContain("secret");
    }

    @Test
    void emailChannelNamedExistingChannelConflicts() throws Exception {
        HttpResponse<String> conflict = postJson("/cxone/api/v1/email/channels",
                "{\"name\":\"existing-channel\",\"type\":\"smtp\"}");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(json(conflict).path("message").asText()).contains("existing-channel");

        HttpResponse<String> noName = postJson("/cxone/api/v1/email/channels", "{\"type\":\"smtp\"}");
        assertThat(noName.statusCode()).isEqualTo(400);
    }

    @Test
    void emailChannelConnectivityTestSucceeds() throws Exception {
        HttpResponse<String> test = send(authorized("/cxone/api/v1/email/channels/ch-123/test")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(test.statusCode()).isEqualTo(200);
        JsonNode result = json(test);
        assertThat(result.path("success").asBoolean()).isTrue();
        assertThat(result.path("statusCode").asInt()).isEqualTo(250);
        assertThat(result.path("errorCodes").isArray()).isTrue();
        assertThat(result.path("errorCodes")).isEmpty();
        assertThat(result.path("latencyMs").asInt()).isEqualTo(42);
        assertThat(result.path("message").asText()).isNotBlank();
    }

    @Test
    void deliveryReportsArePaginatedByRelativeNextPagePath() throws Exception {
        URI next = uri("/cxone/api/v1/email/delivery/reports");
        List<JsonNode> items = new ArrayList<>();
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = send(authorized(next).GET());
            assertThat(page.statusCode()).as(next.toString()).isEqualTo(200);
            JsonNode report = json(page);
            pages++;
            assertThat(report.path("totalCount").asInt()).isEqualTo(20);
            assertThat(report.path("pageSize").asInt()).isPositive();
            report.path("items").forEach(items::add);
            JsonNode nextPage = report.path("nextPage");
            next = nextPage.isTextual() && !nextPage.asText().isEmpty() ? next.resolve(nextPage.asText()) : null;
            assertThat(pages).as("pagination must end").isLessThanOrEqualTo(3);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(items).hasSize(20);

        Set<String> ids = new HashSet<>();
        int bounces = 0;
        int failed = 0;
        for (JsonNode item : items) {
            assertThat(ids.add(item.path("messageId").asText())).as("unique messageId").isTrue();
            assertThat(item.path("status").asText()).isIn("delivered", "bounced", "failed");
            assertThat(item.path("timestamp").asText()).isNotBlank();
            // a bounce: status bounced, or any bounce code
            if (item.path("status").asText().equals("bounced") || !item.path("bounceCode").asText().isEmpty()) {
                bounces++;
            }
            if (item.path("status").asText().equals("failed")) {
                failed++;
            }
        }
        assertThat(bounces).isEqualTo(2);
        assertThat(failed).isEqualTo(3);
        assertThat(bounces * 100.0 / items.size()).isGreaterThan(5.0);
    }

    @Test
    void deliveryReportsAlsoAnswerTheReferencesPageParameterStyle() throws Exception {
        // some clients append "?page=" + nextPage; the page stubs accept that too
        String nextPage = "/cxone/api/v1/email/delivery/reports?page=2";
        HttpResponse<String> page2 = send(authorized(uri("/cxone/api/v1/email/delivery/reports?page="
                + URLEncoder.encode(nextPage, StandardCharsets.UTF_8))).GET());
        assertThat(page2.statusCode()).isEqualTo(200);
        assertThat(json(page2).path("nextPage").asText()).isEqualTo("/cxone/api/v1/email/delivery/reports?page=3");

        HttpResponse<String> page3 = send(authorized(uri("/cxone/api/v1/email/delivery/reports?page=3")).GET());
        assertThat(json(page3).has("nextPage")).isFalse();

        HttpResponse<String> page1 = send(authorized(uri("/cxone/api/v1/email/delivery/reports?page=1")).GET());
        assertThat(json(page1).path("items").get(0).path("messageId").asText()).isEqualTo("sandbox-msg-0001");

        HttpResponse<String> unknown = send(authorized(uri("/cxone/api/v1/email/delivery/reports?page=9")).GET());
        assertThat(unknown.statusCode()).isEqualTo(400);
    }

    @Test
    void failedDeliveryRetryIsQueued() throws Exception {
        HttpResponse<String> retry = postJson("/cxone/api/v1/email/delivery/retry",
                "{\"messageId\":\"sandbox-msg-0007\"}");
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(json(retry).path("messageId").asText()).isEqualTo("sandbox-msg-0007");
        assertThat(json(retry).path("status").asText()).isEqualTo("queued");

        assertThat(postJson("/cxone/api/v1/email/delivery/retry", "{}").statusCode()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ CXone Data Actions (docs/api.md#data-actions)

    @Test
    void dataActionIsCreatedEchoingTheRequest() throws Exception {
        HttpResponse<String> created = send(authorized("/cxone/api/v2/data-actions")
                .header("Content-Type", "application/json")
                .header("X-Correlation-ID", "corr-42")
                .POST(body("""
                        {"name":"FetchExternalInventory","description":"stock","type":"REST",
                         "configuration":{"method":"GET","url":"https://inventory.example.com/api/v2/stock","timeout":3000},
                         "enabled":true,"tags":["inventory"]}""")));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("X-Correlation-ID")).hasValue("corr-42");
        JsonNode action = json(created);
        assertThat(action.path("id").asText()).matches(UUID_REGEX);
        assertThat(action.path("name").asText()).isEqualTo("FetchExternalInventory");
        assertThat(action.path("type").asText()).isEqualTo("REST");
        assertThat(action.path("enabled").asBoolean()).isTrue();
        assertThat(action.path("configuration").path("timeout").asInt()).isEqualTo(3000);
        assertThat(action.path("createdAt").asText()).isNotBlank();

        assertThat(postJson("/cxone/api/v2/data-actions", "{\"name\":\"x\",\"type\":\"REST\"}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void dataActionTriggersForRedirectLoopAndThrottling() throws Exception {
        HttpResponse<String> redirect = postJson("/cxone/api/v2/data-actions",
                "{\"name\":\"redirect-loop\",\"type\":\"REST\",\"configuration\":{}}");
        assertThat(redirect.statusCode()).isEqualTo(307);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> hop = send(authorized(uri(location)).POST(body("{}")));
        assertThat(hop.statusCode()).isEqualTo(307);
        assertThat(hop.headers().firstValue("Location")).hasValue(location);

        HttpResponse<String> throttled = postJson("/cxone/api/v2/data-actions",
                "{\"name\":\"throttled\",\"type\":\"REST\",\"configuration\":{}}");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");

        server.resetScenarios();
        String once = "{\"name\":\"throttled-once\",\"type\":\"REST\",\"configuration\":{}}";
        assertThat(postJson("/cxone/api/v2/data-actions", once).statusCode()).isEqualTo(429);
        assertThat(postJson("/cxone/api/v2/data-actions", once).statusCode()).isEqualTo(201);
        assertThat(postJson("/cxone/api/v2/data-actions", once).statusCode()).isEqualTo(429);
    }

    // ------------------------------------------------------------------ CXone EventBridge connection (docs/api.md#events)

    @Test
    void eventBridgeConnectionIsCreated() throws Exception {
        HttpResponse<String> created = postJson("/cxone/api/v2/platform/eventbridgeconnections", """
                {"name":"cxone-go-connector","awsAccountId":"123456789012","awsRegion":"us-east-1",
                 "eventBusName":"default","eventSource":"com.nice.cxone.interactions","enabled":true,
                 "eventTypes":["Interaction.Lifecycle.StageChanged","Routing.StateChanged"]}""");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode connection = json(created);
        assertThat(connection.path("id").asText()).matches(UUID_REGEX);
        assertThat(connection.path("name").asText()).isEqualTo("cxone-go-connector");
        assertThat(connection.path("awsAccountId").asText()).isEqualTo("123456789012");
        assertThat(connection.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(connection.path("eventBusName").asText()).isEqualTo("default");
        assertThat(connection.path("status").asText()).isEqualTo("active");

        assertThat(postJson("/cxone/api/v2/platform/eventbridgeconnections", "{\"name\":\"x\"}").statusCode())
                .isEqualTo(400);
    }

    // ------------------------------------------------------------------ CXone routing rules (docs/api.md#routing-rules)

    @Test
    void routingRuleIsCreatedWithIdAndEtag() throws Exception {
        HttpResponse<String> created = postJson(RULES, """
                {"name":"VIP Customer Priority Routing","priority":10,"enabled":true,"interactionType":"voice",
                 "conditions":[{"field":"customerSegment","operator":"equals","value":"vip"}],
                 "targets":[{"type":"queue","id":"queue-vip-pool-01","weight":100,"capacity":50}],
                 "fallbackRuleId":"rule-b"}""");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).hasValue("\"v1\"");
        JsonNode rule = json(created);
        String id = rule.path("id").asText();
        assertThat(id).matches(UUID_REGEX);
        assertThat(rule.path("name").asText()).isEqualTo("VIP Customer Priority Routing");
        assertThat(rule.path("fallbackRuleId").asText()).isEqualTo("rule-b");

        // a rule created in the sandbox can be fetched and updated afterwards
        HttpResponse<String> fetched = send(authorized(RULES + "/" + id).GET());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(json(fetched).path("id").asText()).isEqualTo(id);
        assertThat(fetched.headers().firstValue("ETag")).hasValue("\"v1\"");

        assertThat(postJson(RULES, "{\"priority\":1}").statusCode()).isEqualTo(400);
    }

    @Test
    void fixedRulesFormAFallbackChain() throws Exception {
        List<String> chain = new ArrayList<>();
        String id = "rule-c";
        while (id != null) {
            HttpResponse<String> response = send(authorized(RULES + "/" + id).GET());
            assertThat(response.statusCode()).as(id).isEqualTo(200);
            assertThat(response.headers().firstValue("ETag")).hasValue("\"v1\"");
            JsonNode rule = json(response);
            assertThat(rule.path("id").asText()).isEqualTo(id);
            chain.add(id);
            id = rule.hasNonNull("fallbackRuleId") ? rule.path("fallbackRuleId").asText() : null;
            assertThat(chain).hasSizeLessThan(5);
        }
        assertThat(chain).containsExactly("rule-c", "rule-a", "rule-b");

        HttpResponse<String> contended = send(authorized(RULES + "/rule-contended").GET());
        assertThat(contended.statusCode()).isEqualTo(200);
        assertThat(contended.headers().firstValue("ETag")).hasValue("\"v7\"");

        HttpResponse<String> missing = send(authorized(RULES + "/missing").GET());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("message").asText()).contains("missing");
    }

    @Test
    void routingRuleUpdateNeedsTheCurrentEtag() throws Exception {
        String rule = """
                {"name":"Sandbox VIP voice routing","priority":10,"enabled":true,"interactionType":"voice",
                 "conditions":[],"targets":[{"type":"queue","id":"queue-vip-pool-01","weight":100,"capacity":50}],
                 "fallbackRuleId":"rule-b"}""";

        HttpResponse<String> updated = put(RULES + "/rule-a", rule, "\"v1\"");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(updated.headers().firstValue("ETag")).hasValue("\"v2\"");
        assertThat(json(updated).path("id").asText()).isEqualTo("rule-a");
        assertThat(json(updated).path("name").asText()).isEqualTo("Sandbox VIP voice routing");

        assertThat(put(RULES + "/rule-a", rule, null).statusCode()).isEqualTo(428);
        assertThat(put(RULES + "/rule-a", rule, "\"v0\"").statusCode()).isEqualTo(412);
        assertThat(put(RULES + "/rule-contended", rule, "\"v7\"").statusCode()).isEqualTo(412);
        assertThat(put(RULES + "/missing", rule, "\"v1\"").statusCode()).isEqualTo(404);
        assertThat(put(RULES + "/rule-b", "{\"priority\":1}", "\"v1\"").statusCode()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ CXone webhooks

    @Test
    void webhookIsRegistered() throws Exception {
        HttpResponse<String> reference = postJson("/cxone/api/v2/webhooks", """
                {"name":"RoutingRuleSync","enabled":true,"targetURL":"https://switchboard.example.com/api/webhooks/cxone",
                 "eventFilter":"routing.rule.updated routing.rule.created","format":"json"}""");
        assertThat(reference.statusCode()).isEqualTo(201);
        JsonNode hook = json(reference);
        assertThat(hook.path("id").asText()).matches(UUID_REGEX);
        assertThat(hook.path("url").asText()).isEqualTo("https://switchboard.example.com/api/webhooks/cxone");
        assertThat(hook.path("events")).extracting(JsonNode::asText)
                .containsExactly("routing.rule.updated", "routing.rule.created");
        assertThat(hook.path("status").asText()).isEqualTo("active");

        HttpResponse<String> plain = postJson("/cxone/api/v2/webhooks",
                "{\"url\":\"https://h.example.com/cb\",\"events\":[\"routing.rule.created\"]}");
        assertThat(plain.statusCode()).isEqualTo(201);
        assertThat(json(plain).path("url").asText()).isEqualTo("https://h.example.com/cb");
        assertThat(json(plain).path("events")).extracting(JsonNode::asText).containsExactly("routing.rule.created");

        assertThat(postJson("/cxone/api/v2/webhooks", "{\"name\":\"x\"}").statusCode()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ Genesys outbound integrations (docs/api.md#genesys-cloud-outbound-integrations)

    @Test
    void genesysOutboundIntegrationIsCreated() throws Exception {
        HttpResponse<String> created = postJson("/genesys/api/v2/outbound/integrations", """
                {"name":"event-resolver","type":"webhook","uri":"https://events.example.com/hook",
                 "uris":["https://events.example.com/hook"],
                 "retryPolicy":{"maxRetries":3,"retryInterval":5.0,"backoffFactor":2.0},
                 "eventFilters":[{"eventType":"v2.routing.queues.observations"}]}""");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode integration = json(created);
        String id = integration.path("id").asText();
        assertThat(id).matches(UUID_REGEX);
        assertThat(integration.path("name").asText()).isEqualTo("event-resolver");
        assertThat(integration.path("status").asText()).isEqualTo("active");
        assertThat(integration.path("selfUri").asText()).isEqualTo("/api/v2/outbound/integrations/" + id);
        assertThat(integration.path("retryPolicy").path("maxRetries").asInt()).isEqualTo(3);

        assertThat(postJson("/genesys/api/v2/outbound/integrations", "{\"type\":\"webhook\"}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void genesysThrottlingTriggersAnswer429WithRetryAfter() throws Exception {
        HttpResponse<String> throttled = postJson("/genesys/api/v2/outbound/integrations",
                "{\"name\":\"throttled\",\"type\":\"webhook\"}");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("2");

        server.resetScenarios();
        String once = "{\"name\":\"throttled-once\",\"type\":\"webhook\"}";
        assertThat(postJson("/genesys/api/v2/outbound/integrations", once).statusCode()).isEqualTo(429);
        HttpResponse<String> created = postJson("/genesys/api/v2/outbound/integrations", once);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("status").asText()).isEqualTo("active");
    }

    // ------------------------------------------------------------------ AWS EventBridge (JSON 1.1)

    @Test
    void eventBridgePutRuleAndPutTargets() throws Exception {
        for (String path : List.of("/aws/eventbridge/", "/aws/eventbridge")) {
            HttpResponse<String> rule = send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "AWSEvents.PutRule")
                    .POST(body("{\"Name\":\"cxone-interaction-rule\",\"EventBusName\":\"default\","
                            + "\"EventPattern\":\"{\\\"source\\\":[\\\"com.nice.cxone.interactions\\\"]}\","
                            + "\"State\":\"ENABLED\"}")));
            assertThat(rule.statusCode()).as(path).isEqualTo(200);
            assertThat(rule.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
            assertThat(json(rule).path("RuleArn").asText())
                    .isEqualTo("arn:aws:events:us-east-1:123456789012:rule/cxone-interaction-rule");

            HttpResponse<String> targets = send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "AWSEvents.PutTargets")
                    .POST(body("{\"Rule\":\"cxone-interaction-rule\",\"EventBusName\":\"default\",\"Targets\":"
                            + "[{\"Id\":\"switchboard\",\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:switchboard-events\"}]}")));
            assertThat(targets.statusCode()).as(path).isEqualTo(200);
            assertThat(targets.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
            assertThat(json(targets).path("FailedEntryCount").asInt()).isZero();
            assertThat(json(targets).path("FailedEntries")).isEmpty();
        }

        HttpResponse<String> other = send(HttpRequest.newBuilder(uri("/aws/eventbridge/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSEvents.ListRules")
                .POST(body("{\"Name\":\"x\"}")));
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(json(other).path("__type").asText()).isEqualTo("UnknownOperationException");
    }

    // ------------------------------------------------------------------ helpers

    private static URI uri(String pathAndQuery) {
        return URI.create(server.baseUrl() + pathAndQuery);
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
    }

    private static HttpRequest.Builder authorized(String path) {
        return authorized(uri(path));
    }

    private static HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", BEARER);
    }

    private static HttpResponse<String> postJson(String path, String json) throws Exception {
        return send(authorized(path).header("Content-Type", "application/json").POST(body(json)));
    }

    private static HttpResponse<String> put(String path, String json, String ifMatch) throws Exception {
        HttpRequest.Builder builder = authorized(path).header("Content-Type", "application/json").PUT(body(json));
        if (ifMatch != null) {
            builder.header("If-Match", ifMatch);
        }
        return send(builder);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}
