package io.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

/** The schemas come from switchboard.schemas-location; what a folder there lacks comes from the built-in set. */
class OpenApiSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void should_read_request_schemas_from_the_folder_and_the_answers_schemas_it_lacks_from_the_jar() throws Exception {
        Files.writeString(folder.resolve("event-envelope.json"), "{\"title\":\"our own envelope\",\"type\":\"object\"}");
        ObjectNode document = (ObjectNode) JSON.readTree("""
                {"openapi":"3.1.0","paths":{
                  "/api/events":{"post":{"responses":{"default":{}}}},
                  "/api/dead-letters/{id}":{"delete":{"responses":{"default":{}}}}}}""");

        new OpenApiSchemas(new DefaultResourceLoader(), "file:" + folder, JSON).complete(document);

        JsonNode schemas = document.path("components").path("schemas");
        assertThat(schemas.path("EventEnvelope").path("title").asText()).isEqualTo("our own envelope");
        assertThat(schemas.path("EventAcceptedResponse").path("required")).hasToString("[\"id\",\"interactionId\",\"status\"]");
        assertThat(schemas.path("Problem").path("properties").has("requiredRole")).isTrue();
        JsonNode post = document.path("paths").path("/api/events").path("post").path("responses");
        assertThat(post.path("202").path("content").path("application/json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/EventAcceptedResponse");
        assertThat(post.path("default").path("content").has("application/problem+json")).isTrue();
        assertThat(post.fieldNames()).toIterable().contains("400", "401", "403", "413", "415", "429").doesNotContain("404");
        JsonNode discard = document.path("paths").path("/api/dead-letters/{id}").path("delete").path("responses");
        assertThat(discard.fieldNames()).toIterable().contains("200", "400", "404").doesNotContain("413", "415");
    }
}
