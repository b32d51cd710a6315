package io.switchboard.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.RestOpenApiReader;
import org.junit.jupiter.api.Test;

/** The OpenAPI document Camel writes from REST definitions, completed by OpenApiRoles (Spring-free). */
class OpenApiRolesTest {

    @Test
    void should_write_the_key_schemes_and_each_operations_role() throws Exception {
        ObjectNode doc = camelDocument();

        OpenApiRoles.complete(doc);

        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertThat(schemes.path("apiKey").path("type").asText()).isEqualTo("apiKey");
        assertThat(schemes.path("apiKey").path("in").asText()).isEqualTo("header");
        assertThat(schemes.path("apiKey").path("name").asText()).isEqualTo("X-API-Key");
        assertThat(schemes.path("bearer").path("type").asText()).isEqualTo("http");
        assertThat(schemes.path("bearer").path("scheme").asText()).isEqualTo("bearer");
        JsonNode discard = doc.path("paths").path("/api/dead-letters/{id}").path("delete");
        assertThat(discard.path("summary").asText()).isEqualTo("Discard one. Role: admin.");
        assertThat(discard.path("security")).hasToString("[{\"apiKey\":[\"admin\"]},{\"bearer\":[\"admin\"]}]");
        JsonNode list = doc.path("paths").path("/api/dead-letters").path("get");
        assertThat(list.path("summary").asText()).isEqualTo("Role: viewer.");
        assertThat(list.path("security")).hasToString("[{\"apiKey\":[\"viewer\"]},{\"bearer\":[\"viewer\"]}]");
        JsonNode redrive = doc.path("paths").path("/api/dead-letters/{id}/redrive").path("post");
        assertThat(redrive.path("summary").asText()).isEqualTo("Redrive one. Role: admin.");
    }

    @Test
    void should_write_the_role_once_however_often_the_document_is_completed() throws Exception {
        ObjectNode doc = camelDocument();

        OpenApiRoles.complete(doc);
        OpenApiRoles.complete(doc);

        assertThat(doc.path("paths").path("/api/dead-letters/{id}").path("delete").path("summary").asText())
                .isEqualTo("Discard one. Role: admin.");
        assertThat(doc.path("paths").path("/api/dead-letters/{id}").path("delete").path("security")).hasSize(2);
    }

    /** The document as camel-openapi-java writes it for a small REST DSL. */
    private static ObjectNode camelDocument() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    rest("/api/dead-letters").get().to("direct:a")
                            .delete("/{id}").description("Discard one").to("direct:b")
                            .post("/{id}/redrive").description("Redrive one.").to("direct:c");
                }
            });
            OpenAPI openApi = new RestOpenApiReader().read(context,
                    context.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions(), new BeanConfig(),
                    context.getName(), context.getClassResolver());
            return (ObjectNode) Json.mapper().readTree(Json.mapper().writeValueAsBytes(openApi));
        }
    }
}
