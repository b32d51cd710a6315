package io.switchboard.platform.security;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The caller's own view of its key.
 *
 * <pre>
 * GET /api/whoami   whoami   → 200 {name, role}
 * </pre>
 */
@Component
public class SecurityRoutes extends RouteBuilder {

    @Override
    public void configure() {
        rest("/api/whoami").description("The API key in use")
                .get().id("rest-whoami").description("The calling API key's name and role (viewer, operator, admin)")
                    .produces("application/json").to("direct:whoami");

        from("direct:whoami").routeId("whoami")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(WhoAmI.class, "describe")
                .bean(JsonResponses.class, "ok");
    }
}
