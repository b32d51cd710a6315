package io.switchboard.routing;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * Interaction routing rules in CXone (docs/api.md#routing-rules; docs/architecture.md#routing-rules).
 *
 * <pre>
 *   POST /api/routing/rules          routing-create-rule   validate → POST rule → audit → 201
 *   PUT  /api/routing/rules/{id}     routing-update-rule   validate → rounds of GET (ETag) + PUT If-Match → audit → 200
 *   POST /api/routing/webhooks       routing-register-webhook   → POST /api/v2/webhooks → audit → 201
 *   POST /api/webhooks/cxone         routing-webhook-callback   validate → audit → 200
 *
 *   routing-*-audited                the workflow steps in doTry; doCatch audits the failure and throws it on
 *                                    (thrown from a sub-route, so the entry route's API handler answers it)
 *   routing-validate-rule            JSON Schema + rules a schema cannot state, every problem in one 400
 *   routing-check-fallback-chain     fetch the fallback chain rule by rule, looking for a cycle
 *   routing-update-rounds            up to routing.update-attempts rounds while CXone answers 412, then 409
 * </pre>
 * 429 and 5xx from CXone are retried inside {@code direct:cxone}; every create and update attempt is
 * audited with the running success count and total. Sub-routes have no error handler of their own, so
 * what they throw reaches the entry route's API handler untouched (as does what {@code direct:cxone} throws).
 */
@Component
public class RoutingRoutes extends RouteBuilder {

    private static final String RULE_SCHEMA = "json-validator:{{switchboard.schemas-location}}/routing-rule.json";
    private static final String REGISTRATION_SCHEMA =
            "json-validator:{{switchboard.schemas-location}}/routing-webhook-registration.json";
    private static final String CALLBACK_SCHEMA =
            "json-validator:{{switchboard.schemas-location}}/routing-webhook-callback.json";

    @Override
    public void configure() {
        rest("/api/routing").description("CXone interaction routing rules and their webhook")
                .post("/rules").id("rest-routing-create-rule")
                    .description("Validate (fallback chain included) and create a routing rule in CXone; 201 with its id")
                    .consumes("application/json").produces("application/json")
                    .to("direct:routing-create-rule")
                .put("/rules/{id}").id("rest-routing-update-rule")
                    .description("Validate and update a routing rule with If-Match; retried on 412, then 409")
                    .param().name("id").type(RestParamType.path).description("CXone rule id").endParam()
                    .consumes("application/json").produces("application/json")
                    .to("direct:routing-update-rule")
                .post("/webhooks").id("rest-routing-register-webhook")
                    .description("Register the CXone webhook for routing.rule.created and routing.rule.updated")
                    .consumes("application/json").produces("application/json")
                    .to("direct:routing-register-webhook");

        rest("/api/webhooks").description("Callbacks from the platforms")
                .post("/cxone").id("rest-cxone-webhook-callback")
                    .description("A CXone routing.rule.created / routing.rule.updated callback; validated and audited")
                    .consumes("application/json").produces("application/json")
                    .to("direct:routing-webhook-callback");

        from("direct:routing-create-rule").routeId("routing-create-rule")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .convertBodyTo(String.class)
                .bean(RuleChanges.class, "beginCreate")
                .to("direct:routing-create-audited")
                .bean(RuleChanges.class, "answer")
                .bean(JsonResponses.class, "created");

        from("direct:routing-create-audited").routeId("routing-create-audited")
                .errorHandler(noErrorHandler())
                .doTry()
                    .to("direct:routing-validate-rule")
                    .to("direct:routing-post-rule")
                    .bean(RoutingAudit.class, "ruleChanged")
                .doCatch(Exception.class)
                    .bean(RoutingAudit.class, "ruleChangeFailed")
                .end();

        from("direct:routing-update-rule").routeId("routing-update-rule")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .convertBodyTo(String.class)
                .bean(RuleChanges.class, "beginUpdate")
                .to("direct:routing-update-audited")
                .bean(RuleChanges.class, "answer")
                .bean(JsonResponses.class, "ok");

        from("direct:routing-update-audited").routeId("routing-update-audited")
                .errorHandler(noErrorHandler())
                .doTry()
                    .to("direct:routing-validate-rule")
                    .to("direct:routing-update-rounds")
                    .bean(RoutingAudit.class, "ruleChanged")
                .doCatch(Exception.class)
                    .bean(RoutingAudit.class, "ruleChangeFailed")
                .end();

        from("direct:routing-validate-rule").routeId("routing-validate-rule")
                .errorHandler(noErrorHandler())
                .doTry()
                    .to(RULE_SCHEMA).id("routing-rule-schema")
                .doCatch(JsonValidationException.class)
                    .bean(RuleValidation.class, "schemaViolations")
                .end()
                .bean(RuleValidation.class, "checkRules")
                .to("direct:routing-check-fallback-chain")
                .bean(RuleValidation.class, "verdict");

        from("direct:routing-check-fallback-chain").routeId("routing-check-fallback-chain")
                .errorHandler(noErrorHandler())
                .bean(FallbackChainWalk.class, "start")
                .loopDoWhile(method(FallbackChainWalk.class, "hasNext"))
                    .setHeader(Upstream.METHOD, constant("GET"))
                    .setHeader(Upstream.PATH, method(FallbackChainWalk.class, "nextPath"))
                    .setBody(constant(null))
                    .doTry()
                        .to(Upstream.CXONE).id("routing-fetch-fallback-rule")
                        .bean(FallbackChainWalk.class, "fetched")
                    .doCatch(UpstreamException.class).onWhen(UpstreamStatus.NOT_FOUND)
                        .bean(FallbackChainWalk.class, "missing")
                    .end()
                .end();

        from("direct:routing-post-rule").routeId("routing-post-rule")
                .errorHandler(noErrorHandler())
                .setHeader(Upstream.METHOD, constant("POST"))
                .setHeader(Upstream.PATH, constant(RuleChanges.RULES_PATH))
                .setBody(method(RuleChanges.class, "ruleToSend"))
                .to(Upstream.CXONE).id("routing-create-upstream")
                .bean(RuleChanges.class, "created");

        from("direct:routing-update-rounds").routeId("routing-update-rounds")
                .errorHandler(noErrorHandler())
                .loopDoWhile(method(RuleUpdateRounds.class, "anotherRound"))
                    .to("direct:routing-update-round")
                .end()
                .bean(RuleUpdateRounds.class, "conclude");

        from("direct:routing-update-round").routeId("routing-update-round")
                .errorHandler(noErrorHandler())
                .setHeader(Upstream.METHOD, constant("GET"))
                .setHeader(Upstream.PATH, method(RuleChanges.class, "rulePath"))
                .setBody(constant(null))
                .doTry()
                    .to(Upstream.CXONE).id("routing-fetch-etag")
                .doCatch(UpstreamException.class).onWhen(UpstreamStatus.NOT_FOUND)
                    .bean(RuleUpdateRounds.class, "ruleNotFound")
                .end()
                .bean(RuleUpdateRounds.class, "etagFetched")
                .setHeader(Upstream.METHOD, constant("PUT"))
                .setHeader(Upstream.PATH, method(RuleChanges.class, "rulePath"))
                .setHeader(Upstream.REQUEST_HEADERS, method(RuleUpdateRounds.class, "ifMatch"))
                .setBody(method(RuleChanges.class, "ruleToSend"))
                .doTry()
                    .to(Upstream.CXONE).id("routing-put-upstream")
                    .bean(RuleUpdateRounds.class, "applied")
                .doCatch(UpstreamException.class).onWhen(UpstreamStatus.PRECONDITION_FAILED)
                    .bean(RuleUpdateRounds.class, "preconditionFailed")
                .end();

        from("direct:routing-register-webhook").routeId("routing-register-webhook")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .convertBodyTo(String.class)
                .bean(RoutingWebhooks.class, "begin")
                .to("direct:routing-register-webhook-audited")
                .bean(JsonResponses.class, "created");

        from("direct:routing-register-webhook-audited").routeId("routing-register-webhook-audited")
                .errorHandler(noErrorHandler())
                .doTry()
                    .to(REGISTRATION_SCHEMA).id("routing-webhook-registration-schema")
                    .setHeader(Upstream.METHOD, constant("POST"))
                    .setHeader(Upstream.PATH, constant(RoutingWebhooks.WEBHOOKS_PATH))
                    .setBody(method(RoutingWebhooks.class, "platformRegistration"))
                    .to(Upstream.CXONE).id("routing-webhook-upstream")
                    .setBody(method(RoutingWebhooks.class, "registered"))
                .doCatch(Exception.class)
                    .bean(RoutingWebhooks.class, "registrationFailed")
                .end();

        from("direct:routing-webhook-callback").routeId("routing-webhook-callback")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .convertBodyTo(String.class)
                .bean(RoutingWebhooks.class, "begin")
                .to("direct:routing-webhook-callback-audited")
                .bean(JsonResponses.class, "ok");

        from("direct:routing-webhook-callback-audited").routeId("routing-webhook-callback-audited")
                .errorHandler(noErrorHandler())
                .doTry()
                    .to(CALLBACK_SCHEMA).id("routing-webhook-callback-schema")
                    .setBody(method(RoutingWebhooks.class, "callbackReceived"))
                .doCatch(Exception.class)
                    .bean(RoutingWebhooks.class, "callbackRejected")
                .end();
    }
}
