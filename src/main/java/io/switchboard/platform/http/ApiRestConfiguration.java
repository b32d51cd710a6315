package io.switchboard.platform.http;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The REST DSL served by Spring Boot's own web server (platform-http), and the OpenAPI document of
 * every {@code /api} endpoint at {@code /api/openapi.json} (OpenAPI 3.1). Bodies are handled as raw JSON so each
 * workflow can validate them against its JSON Schema before binding.
 */
@Component
public class ApiRestConfiguration extends RouteBuilder {

    @Override
    public void configure() {
        restConfiguration()
                .component("platform-http")
                .apiContextPath("/api/openapi.json")
                // 3.1: the schemas of config/schemas are JSON Schema 2020-12 (3.0 knows only a subset of an older
                // draft), and each operation's role is its security requirement's role list (3.0 allows role lists
                // for OAuth schemes only)
                .apiProperty("openapi.version", "3.1.0")
                .apiProperty("api.title", "Switchboard API")
                .apiProperty("api.version", "1")
                .apiProperty("api.description",
                        "Provisioning and event plumbing for NICE CXone and Genesys Cloud. "
                                + "Every /api call needs X-API-Key (or Authorization: Bearer).");
    }
}
