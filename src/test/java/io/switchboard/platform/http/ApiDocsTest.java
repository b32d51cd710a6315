package io.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API people can read without the code: /api/openapi.json carries the JSON Schema of every request body (the
 * files in config/schemas the routes validate with), of every success answer (config/schemas/responses) and of the
 * problem+json answers (config/schemas/problem.json); Swagger UI at /api/docs and the
 * console at /console are served from the jar, without a key and without anything from elsewhere.
 */
class ApiDocsTest extends IntegrationTestBase {

    private static final Map<String, String> NO_KEY = Map.of();

    @Test
    void should_document_each_success_answer_with_its_schema_from_config_schemas_responses() throws IOException {
        JsonNode document = api.send("GET", "/api/openapi.json", null, NO_KEY).json();

        JsonNode schemas = document.path("components").path("schemas");
        List<String> files;
        try (Stream<Path> list = Files.list(Path.of("config/schemas/responses"))) {
            files = list.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty().allSatisfy(file ->
                assertThat(schemas.has(OpenApiSchemas.responseName(file))).as(file + " in components.schemas").isTrue());
        JsonNode whoami = document.path("paths").path("/api/whoami").path("get").path("responses");
        assertThat(whoami.path("200").path("content").path("application/json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/WhoamiResponse");
        assertThat(schemas.path("WhoamiResponse").path("required")).hasToString("[\"name\",\"role\"]");
        assertThat(document.path("paths").path("/api/events/subscriptions").path("post").path("responses").has("200"))
                .as("a subscription found complete answers 200").isTrue();
    }

    @Test
    void should_document_request_bodies_with_the_schemas_they_are_validated_against() throws IOException {
        JsonNode document = api.send("GET", "/api/openapi.json", null, NO_KEY).json();

        JsonNode schemas = document.path("components").path("schemas");
        List<String> files;
        try (Stream<Path> list = Files.list(Path.of("config/schemas"))) {
            files = list.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty().allSatisfy(file ->
                assertThat(schemas.has(OpenApiSchemas.schemaName(file))).as(file + " in components.schemas").isTrue());
        JsonNode post = document.path("paths").path("/api/events").path("post");
        assertThat(post.path("requestBody").path("content").path("application/json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/EventEnvelope");
        assertThat(post.path("responses").path("400").path("content").path("application/problem+json")
                .path("schema").path("$ref").asText()).isEqualTo("#/components/schemas/Problem");
        assertThat(schemas.path("EventEnvelope").path("properties").has("detail-type")).isTrue();
        assertThat(schemas.path("Problem").path("properties").has("errors")).isTrue();
        assertThat(document.toString()).doesNotContain("\"$schema\"");
    }

    @Test
    void should_serve_swagger_ui_at_api_docs_without_a_key() {
        Api.Response page = api.send("GET", "/api/docs/", null, NO_KEY);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui-bundle.js").doesNotContain("https://");
        assertThat(api.send("GET", "/api/docs/swagger-ui-bundle.js", null, NO_KEY).status()).isEqualTo(200);
        assertThat(api.send("GET", "/api/docs/swagger-initializer.js", null, NO_KEY).body())
                .contains("url: '/api/openapi.json'").doesNotContain("petstore");
        assertThat(api.send("GET", "/api/docs", null, NO_KEY).status()).isEqualTo(302);
    }

    @Test
    void should_serve_the_console_from_the_jar_with_nothing_from_elsewhere() {
        Api.Response page = api.send("GET", "/console/", null, NO_KEY);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("console.js").contains("console.css");
        for (String asset : List.of("/console/", "/console/console.js", "/console/console.css")) {
            assertThat(api.send("GET", asset, null, NO_KEY).body()).as(asset).doesNotContain("http://", "https://", "//cdn");
        }
        assertThat(api.send("GET", "/console", null, NO_KEY).status()).isEqualTo(302);
    }
}
