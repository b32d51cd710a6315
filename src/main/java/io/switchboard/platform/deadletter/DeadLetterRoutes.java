package io.switchboard.platform.deadletter;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/** The dead-letter channel every workflow shares, and its API. */
@Component
public class DeadLetterRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from(DeadLetters.ENDPOINT).routeId("dead-letter")
                .bean(DeadLetters.class, "record");

        rest("/api/dead-letters").description("Work that exhausted its retries")
                .get().id("rest-dead-letters-list").description("List dead letters, newest first, optionally of one source")
                    .param().name("source").type(RestParamType.query).required(false)
                        .description("only this source, e.g. events-sink-crm").endParam()
                    .param().name("offset").type(RestParamType.query).dataType("integer").required(false)
                        .description("letters to skip (default 0)").endParam()
                    .param().name("limit").type(RestParamType.query).dataType("integer").required(false)
                        .description("letters per page, 1-500 (default 500)").endParam()
                    .produces("application/json").to("direct:dead-letters-list")
                .post("/{id}/redrive").id("rest-dead-letters-redrive").description("Send one back to where it failed")
                    .produces("application/json").to("direct:dead-letters-redrive")
                .delete("/{id}").id("rest-dead-letters-discard").description("Discard one")
                    .produces("application/json").to("direct:dead-letters-discard");

        from("direct:dead-letters-list").routeId("dead-letters-list")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(DeadLetterApi.class, "list")
                .bean(JsonResponses.class, "ok");

        from("direct:dead-letters-redrive").routeId("dead-letters-redrive")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(DeadLetterApi.class, "redrive")
                .bean(JsonResponses.class, "accepted");

        from("direct:dead-letters-discard").routeId("dead-letters-discard")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(DeadLetterApi.class, "discard")
                .bean(JsonResponses.class, "ok");
    }
}
