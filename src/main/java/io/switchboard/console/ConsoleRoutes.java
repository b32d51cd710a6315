package io.switchboard.console;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * The two read-only endpoints the operator console (served at {@code /console}, docs/console.md) needs beyond the
 * workflows' own API. Everything else the console shows or does goes through the same {@code /api} endpoints as
 * any other caller, with the API key the operator signed in with.
 *
 * <pre>
 *   GET /api/overview                          → console-overview: ConsoleOverview.overview
 *   GET /api/interactions/{interactionId}/events → console-interaction: InteractionTimeline.events
 * </pre>
 */
@Component
public class ConsoleRoutes extends RouteBuilder {

    @Override
    public void configure() {
        rest("/api/overview").description("Operator overview")
                .get().id("rest-overview")
                    .description("Each workflow's last activity, each platform's budget and token expiry, the events "
                            + "pipeline per sink, dead letters per source and the last delivery-report poll")
                    .produces("application/json").to("direct:console-overview");

        rest("/api/interactions").description("Events of one interaction")
                .get("/{interactionId}/events").id("rest-interaction-events")
                    .description("The interaction's events in delivery order, with each sink's delivery state")
                    .param().name("interactionId").type(RestParamType.path).required(true).endParam()
                    .produces("application/json").to("direct:console-interaction");

        from("direct:console-overview").routeId("console-overview")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(ConsoleOverview.class, "overview")
                .bean(JsonResponses.class, "ok");

        from("direct:console-interaction").routeId("console-interaction")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(InteractionTimeline.class, "events")
                .bean(JsonResponses.class, "ok");
    }
}
