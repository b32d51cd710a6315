package io.switchboard.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.RestOpenApiReader;
import org.junit.jupiter.api.Test;

/** The OpenAPI document Camel writes from REST definitions that OpenApiRoles annotated (Spring-free). */
class OpenApiRolesTest {

    @Test
    void should_write_the_key_schemes_and_each_operations_role() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    rest("/api/dead-letters").get().to("direct:a").delete("/{id}").description("Discard one").to("direct:b");
                }
            });
            for (RestDefinition rest : context.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
                OpenApiRoles.annotate(rest);
            }
            BeanConfig config = new BeanConfig();
            config.setVersion("3.1");
            OpenAPI openApi = new RestOpenApiReader().read(context,
                    context.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions(), config,
                    context.getName(), context.getClassResolver());
            var schemes = openApi.getComponents().getSecuritySchemes();
            assertThat(schemes.get("apiKey").getName()).isEqualTo("X-API-Key");
            assertThat(schemes.get("bearer").getScheme()).isEqualTo("bearer");
            var discard = openApi.getPaths().get("/api/dead-letters/{id}").getDelete();
            assertThat(discard.getSummary()).isEqualTo("Discard one. Role: admin.");
            assertThat(discard.getSecurity()).extracting(r -> r.get("apiKey")).containsOnlyOnce(java.util.List.of("admin"));
            var list = openApi.getPaths().get("/api/dead-letters").getGet();
            assertThat(list.getSecurity()).extracting(r -> r.get("bearer")).containsOnlyOnce(java.util.List.of("viewer"));
        }
    }
}
