package io.switchboard.platform.http;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The REST DSL served by Spring Boot's own web server (platform-http), and the OpenAPI document of
 * every {@code /api} endpoint at {@code /api/openapi.json}. Bodies are handled as raw JSON so each
 * workflow can validate them against its JSON Schema before binding.
 */
@Component
public class ApiRestConfiguration extends RouteBuilder {

    @Override
    public void configure() {
        restConfiguration()
                .component("platform-http")
                .apiContextPath("/api/openapi.json")
                .apiProperty("api.title", "Switchboard API")
                .apiProperty("api.version", "1")
                .apiProperty("api.description",
                        "Provisioning and event plumbing for NICE CXone and Genesys Cloud. "
                                + "Every /api call needs X-API-Key (or Authorization: Bearer).");
    }
}
