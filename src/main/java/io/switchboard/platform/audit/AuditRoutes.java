package io.switchboard.platform.audit;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** {@code GET /api/audit?workflow=&action=&limit=&before=}: the audit trail, newest first. */
@Component
public class AuditRoutes extends RouteBuilder {

    @Override
    public void configure() {
        rest("/api/audit").description("Audit trail of every mutation attempt")
                .get().id("rest-audit-query")
                    .description("Newest first; filter by workflow and action; page with before and limit")
                    .param().name("workflow").type(org.apache.camel.model.rest.RestParamType.query).required(false).endParam()
                    .param().name("action").type(org.apache.camel.model.rest.RestParamType.query).required(false).endParam()
                    .param().name("outcome").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .description("success or failure").endParam()
                    .param().name("after").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .description("only entries at or after this ISO-8601 instant").endParam()
                    .param().name("limit").type(org.apache.camel.model.rest.RestParamType.query).required(false).endParam()
                    .param().name("before").type(org.apache.camel.model.rest.RestParamType.query).required(false).endParam()
                    .produces("application/json")
                    .to("direct:audit-query");

        from("direct:audit-query").routeId("audit-query")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(AuditApi.class, "query")
                .bean(JsonResponses.class, "ok");
    }
}
