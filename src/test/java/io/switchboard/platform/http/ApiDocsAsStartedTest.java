package io.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.switchboard.SwitchboardApplication;
import io.switchboard.test.Api;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * /api/openapi.json of Switchboard started the way {@code mvn spring-boot:run} starts it (its main class, the
 * sandbox, config/application.yaml; only the ports, the database and the keys changed). Not a
 * {@code @CamelSpringBootTest}: that one starts Camel only once the Spring context is ready, where the application
 * starts it while the context refreshes, and Camel writes the document once, when its route starts. The answers the
 * sandbox gives are checked against the schemas the document declares for them.
 */
class ApiDocsAsStartedTest {

    private static final String VIEWER_KEY = "viewer-key-0001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ConfigurableApplicationContext app;
    private static Api api;
    private static JsonNode doc;

    @BeforeAll
    static void start() {
        app = new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0",
                "--switchboard.sandbox.sqs-port=0",
                "--switchboard.sandbox.simulator-port=0",
                "--spring.datasource.url=jdbc:h2:mem:api-docs-as-started;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "--switchboard.api-keys=tester:" + Api.KEY + ":admin,watcher:" + VIEWER_KEY + ":viewer",
                "--camel.springboot.main-run-controller=false",
                "--email.retry.wait-time-seconds=1"); // stops within about a second
        api = new Api(((ServletWebServerApplicationContext) app).getWebServer().getPort());
        Api.Response answer = api.send("GET", "/api/openapi.json", null, Map.of());
        assertThat(answer.status()).isEqualTo(200);
        doc = answer.json();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void should_serve_the_key_schemes_each_operations_role_and_the_request_schemas() {
        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertThat(schemes.path("apiKey").path("name").asText()).isEqualTo("X-API-Key");
        assertThat(schemes.path("bearer").path("scheme").asText()).isEqualTo("bearer");
        JsonNode discard = doc.path("paths").path("/api/dead-letters/{id}").path("delete");
        assertThat(discard.path("summary").asText()).endsWith("Role: admin.");
        assertThat(discard.path("security").findValues("apiKey")).hasToString("[[\"admin\"]]");
        assertThat(doc.path("paths").path("/api/audit").path("get").path("summary").asText()).endsWith("Role: viewer.");
        assertThat(doc.path("paths").path("/api/events").path("post").path("requestBody").path("content")
                .path("application/json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/EventEnvelope");
    }

    @Test
    void should_be_a_valid_openapi_3_1_document() {
        // role lists on apiKey and http schemes, and JSON Schema 2020-12 (if/then, $defs), are OpenAPI 3.1 only
        assertThat(doc.path("openapi").asText()).startsWith("3.1.");
        assertThat(doc.has("servers")).as("no bind address: calls go where the document came from").isFalse();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(doc.toString(), null, options);

        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).hasSize(doc.path("paths").size());
    }

    @Test
    void should_declare_a_schema_for_every_answer_of_every_operation() {
        JsonNode schemas = doc.path("components").path("schemas");
        List<String> operations = new ArrayList<>();
        forEachOperation((name, operation) -> {
            operations.add(name);
            JsonNode responses = operation.path("responses");
            List<String> successes = new ArrayList<>();
            responses.fields().forEachRemaining(response -> {
                String status = response.getKey();
                JsonNode answer = response.getValue();
                assertThat(answer.path("description").asText()).as(name + " " + status + " description").isNotBlank();
                if (status.startsWith("2")) {
                    successes.add(status);
                    String ref = answer.path("content").path("application/json").path("schema").path("$ref").asText();
                    assertThat(ref).as(name + " " + status).startsWith("#/components/schemas/");
                    assertThat(schemas.has(ref.substring(ref.lastIndexOf('/') + 1))).as(ref).isTrue();
                } else {
                    assertThat(answer.path("content").fieldNames()).toIterable().as(name + " " + status)
                            .containsExactly("application/problem+json");
                    assertThat(answer.path("content").path("application/problem+json").path("schema").path("$ref")
                            .asText()).as(name + " " + status).isEqualTo("#/components/schemas/Problem");
                }
            });
            assertThat(successes).as(name + " success answers").isNotEmpty();
            assertThat(responses.has("401") && responses.has("403") && responses.has("default")).as(name).isTrue();
            if (operation.has("requestBody")) {
                assertThat(responses.has("400") && responses.has("413") && responses.has("415")).as(name).isTrue();
            }
        });
        assertThat(operations).hasSizeGreaterThan(20);
        assertThat(schemas.path("Problem").path("properties").fieldNames()).toIterable()
                .contains("type", "title", "status", "detail", "errors", "requiredRole", "upstreamStatus", "valid");
    }

    @Test
    void should_answer_as_the_declared_schemas_say() {
        Map<String, String> admin = Map.of("X-API-Key", Api.KEY, "Content-Type", "application/json");
        Map<String, String> viewer = Map.of("X-API-Key", VIEWER_KEY);
        String event = "{\"version\":\"0\",\"id\":\"docs-evt-1\",\"detail-type\":\"Interaction.Lifecycle.StageChanged\","
                + "\"source\":\"com.nice.cxone.interactions\",\"time\":\"2025-01-15T10:00:01Z\",\"region\":\"us-east-1\","
                + "\"resources\":[],\"detail\":{\"interaction.id\":\"docs-int-1\",\"participant.id\":\"agent-7\","
                + "\"stage\":\"Offered\",\"state\":\"Ringing\",\"sequence\":1}}";

        conforms("post", "/api/events", "/api/events", event, admin, 202);
        conforms("get", "/api/whoami", "/api/whoami", null, viewer, 200);
        conforms("get", "/api/audit", "/api/audit?limit=5", null, viewer, 200);
        conforms("get", "/api/overview", "/api/overview", null, viewer, 200);
        conforms("get", "/api/interactions/{interactionId}/events", "/api/interactions/docs-int-1/events", null, viewer, 200);
        conforms("get", "/api/events/replay", "/api/events/replay?limit=1", null, viewer, 200);
        conforms("get", "/api/dead-letters", "/api/dead-letters?limit=1", null, viewer, 200);
        conforms("get", "/api/email/delivery/summary", "/api/email/delivery/summary", null, viewer, 200);
        conforms("get", "/api/genesys/integrations/metrics", "/api/genesys/integrations/metrics", null, viewer, 200);
        conforms("get", "/api/events/subscriptions", "/api/events/subscriptions", null, viewer, 200);
        conforms("post", "/api/email/smtp-test", "/api/email/smtp-test",
                "{\"server\":\"smtp.relay.example.com\",\"port\":587,\"tlsEnabled\":true}", admin, 200);
        conforms("post", "/api/email/channels", "/api/email/channels", "{\"name\":\"docs-relay\",\"type\":\"smtp\","
                + "\"smtpSettings\":{\"server\":\"smtp.relay.example.com\",\"port\":587,\"username\":\"api-user\","
                + "\"password\":\"s3cret\",\"tlsEnabled\":true}}", admin, 201);
        conforms("post", "/api/data-actions", "/api/data-actions",
                "{\"name\":\"DocsAction\",\"type\":\"REST\",\"configuration\":{\"method\":\"GET\","
                        + "\"url\":\"https://inventory.example.com/api/v2/stock\"}}", admin, 201);
        conforms("post", "/api/webhooks/cxone", "/api/webhooks/cxone",
                "{\"event\":\"routing.rule.updated\",\"ruleId\":\"rule-a\",\"timestamp\":\"2026-03-01T10:15:30Z\"}", admin, 200);
        conforms("post", "/api/dead-letters/redrive", "/api/dead-letters/redrive?source=email-retry", null, admin, 202);
        // the problems, extension members included
        conforms("get", "/api/whoami", "/api/whoami", null, Map.of(), 401);
        conforms("delete", "/api/dead-letters/{id}", "/api/dead-letters/none", null, viewer, 403);
        conforms("delete", "/api/dead-letters/{id}", "/api/dead-letters/none", null, admin, 404);
        conforms("post", "/api/email/smtp-test", "/api/email/smtp-test", "{\"port\":2525,\"tlsEnabled\":true}", admin, 400);
        conforms("get", "/api/audit", "/api/audit?limit=abc", null, viewer, 400);
    }

    /** The answer has the expected status, and its body matches the schema the document declares for that status. */
    private static void conforms(String method, String template, String path, String body, Map<String, String> headers,
                                 int status) {
        Api.Response answer = api.send(method.toUpperCase(), path, body, headers);
        assertThat(answer.status()).as(method + " " + path + ": " + answer.body()).isEqualTo(status);
        JsonNode responses = doc.path("paths").path(template).path(method).path("responses");
        JsonNode declared = responses.has(String.valueOf(status)) ? responses.get(String.valueOf(status))
                : responses.path("default");
        Map.Entry<String, JsonNode> content = declared.path("content").fields().next();
        assertThat(answer.header("Content-Type")).as(method + " " + path).startsWith(content.getKey());
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$ref", content.getValue().path("schema").path("$ref").asText());
        schema.set("components", doc.path("components"));
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        assertThat(validator.validate(answer.json())).as(method + " " + path + " " + status + ": " + answer.body())
                .isEmpty();
        if (status == 403) {
            assertThat(answer.json().path("requiredRole").asText()).isEqualTo("admin");
        }
    }

    private static void forEachOperation(java.util.function.BiConsumer<String, JsonNode> check) {
        for (Iterator<Map.Entry<String, JsonNode>> p = doc.path("paths").fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            path.getValue().fields().forEachRemaining(operation -> {
                if (operation.getValue().has("responses")) {
                    check.accept(operation.getKey() + " " + path.getKey(), operation.getValue());
                }
            });
        }
    }
}
