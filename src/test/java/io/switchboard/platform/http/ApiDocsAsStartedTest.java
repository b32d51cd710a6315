package io.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.SwitchboardApplication;
import io.switchboard.test.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * /api/openapi.json of Switchboard started the way {@code mvn spring-boot:run} starts it (its main class, the
 * sandbox, config/application.yaml; only the ports and the database changed). Not a {@code @CamelSpringBootTest}:
 * that one starts Camel only once the Spring context is ready, where the application starts it while the context
 * refreshes, and Camel writes the document once, when its route starts.
 */
class ApiDocsAsStartedTest {

    @Test
    void should_serve_the_key_schemes_each_operations_role_and_the_request_schemas() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0",
                "--switchboard.sandbox.sqs-port=0",
                "--switchboard.sandbox.simulator-port=0",
                "--spring.datasource.url=jdbc:h2:mem:api-docs-as-started;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "--camel.springboot.main-run-controller=false")) {
            Api api = new Api(((ServletWebServerApplicationContext) app).getWebServer().getPort());

            Api.Response answer = api.send("GET", "/api/openapi.json", null, Map.of());

            assertThat(answer.status()).isEqualTo(200);
            JsonNode doc = answer.json();
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
    }
}
