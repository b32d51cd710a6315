package io.switchboard.platform.deadletter;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * The dead-letter channel every workflow shares, and its API.
 *
 * <pre>
 * direct:dead-letter                         dead-letter: store what a workflow gave up on
 * GET    /api/dead-letters                   dead-letters-list: newest first; source, since, until, limit, before
 * POST   /api/dead-letters/{id}/redrive      dead-letters-redrive: send one back to where it failed (admin)
 * POST   /api/dead-letters/redrive?source=   dead-letters-redrive-all: every one of a source, answers how many (admin)
 * DELETE /api/dead-letters/{id}              dead-letters-discard (admin)
 * </pre>
 */
@Component
public class DeadLetterRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from(DeadLetters.ENDPOINT).routeId("dead-letter")
                .bean(DeadLetters.class, "record");

        rest("/api/dead-letters").description("Work that exhausted its retries")
                .get().id("rest-dead-letters-list")
                    .description("Newest first; filter by source and time; page with limit and the before cursor"
                            + " (the next member of a full page)")
                    .param().name("source").type(RestParamType.query).required(false)
                        .description("only dead letters of this source").endParam()
                    .param().name("since").type(RestParamType.query).required(false)
                        .description("created at or after this instant (ISO-8601)").endParam()
                    .param().name("until").type(RestParamType.query).required(false)
                        .description("created before this instant (ISO-8601)").endParam()
                    .param().name("limit").type(RestParamType.query).dataType("integer").required(false)
                        .description("items per page, 1-500 (default 50)").endParam()
                    .param().name("before").type(RestParamType.query).required(false)
                        .description("cursor: created before this instant (the previous page's next)").endParam()
                    .param().name("offset").type(RestParamType.query).dataType("integer").required(false)
                        .description("letters to skip (default 0), for page numbers; total answers how many match")
                        .endParam()
                    .produces("application/json").to("direct:dead-letters-list")
                .post("/redrive").id("rest-dead-letters-redrive-all")
                    .description("Send every dead letter of a source back to where it failed; answers how many")
                    .param().name("source").type(RestParamType.query).required(true).endParam()
                    .produces("application/json").to("direct:dead-letters-redrive-all")
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

        from("direct:dead-letters-redrive-all").routeId("dead-letters-redrive-all")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(DeadLetterApi.class, "redriveAll")
                .bean(JsonResponses.class, "accepted");

        from("direct:dead-letters-discard").routeId("dead-letters-discard")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(DeadLetterApi.class, "discard")
                .bean(JsonResponses.class, "ok");
    }
}
