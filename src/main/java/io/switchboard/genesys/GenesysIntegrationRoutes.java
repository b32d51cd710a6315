package io.switchboard.genesys;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.upstream.Upstream;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Genesys Cloud outbound integrations (docs/api.md#genesys-cloud-outbound-integrations,
 * docs/architecture.md#genesys-integrations): check every destination of an integration, then create it.
 *
 * <pre>
 *   POST /api/genesys/integrations/resolve
 *     genesys-integrations-validate      JSON Schema + URI rules           → 400 naming every problem
 *     genesys-integrations-guard         DNS, then the SSRF guard          → 400 refused / 502 dns
 *     genesys-integrations-preflight     TLS handshake + health GET        → 502 tls / health
 *     genesys-integrations-submit        POST /api/v2/outbound/integrations (retries, Retry-After)
 *     → 201; every outcome is audited, every valid request counted; failures answer problem+json
 *   GET  /api/genesys/integrations/metrics   reachability rate, resolves, average latency
 * </pre>
 */
@Component
public class GenesysIntegrationRoutes extends RouteBuilder {

    static final String SCHEMA = "json-validator:{{switchboard.schemas-location}}/genesys-integration-resolve.json"
            + "?errorHandler=#" + ResolveSchemaErrors.BEAN;

    @Override
    public void configure() {
        rest("/api/genesys/integrations").description("Genesys Cloud outbound integrations")
                .post("/resolve")
                    .description("Check every destination (DNS, SSRF guard, TLS, health), then create the integration")
                    .consumes("application/json").produces("application/json")
                    .to("direct:genesys-integrations-resolve")
                .get("/metrics")
                    .description("Reachability rate, resolves and average latency since start")
                    .produces("application/json")
                    .to("direct:genesys-integrations-metrics");

        from("direct:genesys-integrations-resolve").routeId("genesys-integrations-resolve")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(ResolveOutcomes.class, "start")
                .doTry()
                    .to("direct:genesys-integrations-validate")
                    .to("direct:genesys-integrations-guard")
                    .to("direct:genesys-integrations-preflight")
                    .to("direct:genesys-integrations-submit")
                    .bean(ResolveOutcomes.class, "succeeded")
                    .bean(JsonResponses.class, "created")
                .doCatch(Exception.class)
                    .bean(ResolveOutcomes.class, "failed")
                    .bean(Problems.class, "answer")
                .end();

        from("direct:genesys-integrations-validate").routeId("genesys-integrations-validate")
                .errorHandler(noErrorHandler()) // failures go to the resolve route, which audits and answers them
                .convertBodyTo(String.class)
                .to(SCHEMA).id("genesys-integrations-schema")
                .setProperty(ResolveExchange.REQUEST, method(ResolveRequests.class, "read"));

        from("direct:genesys-integrations-guard").routeId("genesys-integrations-guard")
                .errorHandler(noErrorHandler())
                .setProperty(ResolveExchange.ADMITTED, method(DestinationGuard.class, "admit"));

        from("direct:genesys-integrations-preflight").routeId("genesys-integrations-preflight")
                .errorHandler(noErrorHandler())
                .setProperty(ResolveExchange.REPORTS, method(PreflightChecks.class, "check"));

        from("direct:genesys-integrations-submit").routeId("genesys-integrations-submit")
                .errorHandler(noErrorHandler())
                .setBody(simple("${exchangeProperty." + ResolveExchange.REQUEST + ".json}"))
                .setHeader(Upstream.METHOD, constant("POST"))
                .setHeader(Upstream.PATH, constant("/api/v2/outbound/integrations"))
                .to(Upstream.GENESYS).id("genesys-integrations-create");

        from("direct:genesys-integrations-metrics").routeId("genesys-integrations-metrics")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .setBody(method(ResolveMetrics.class, "snapshot"))
                .bean(JsonResponses.class, "ok");
    }
}
