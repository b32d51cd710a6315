package io.switchboard.subscriptions;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.upstream.Upstream;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/events/subscriptions}: a CXone EventBridge connection, then an EventBridge rule and its
 * target through camel-aws2-eventbridge (the configured {@code EventBridgeClient}, {@code aws.eventbridge-endpoint}).
 * Each step is its own route; a failing step is audited and answered with its name and what already exists.
 */
@Component
public class EventSubscriptionRoutes extends RouteBuilder {

    /** pojoRequest: the typed request carries the bus name, so the endpoint's own bus name is not used. */
    static final String PUT_RULE = "aws2-eventbridge://default?operation=putRule&pojoRequest=true";
    static final String PUT_TARGETS = "aws2-eventbridge://default?operation=putTargets&pojoRequest=true";

    @Override
    public void configure() {
        rest("/api/events/subscriptions").description("Subscribe to CXone events through EventBridge")
                .post().id("rest-events-subscription-create")
                    .description("Create the CXone connection, the EventBridge rule and its target")
                    .consumes("application/json").produces("application/json")
                    .to("direct:events-subscription-create");

        from("direct:events-subscription-create").routeId("events-subscription-create")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .convertBodyTo(String.class)
                .to("json-validator:file:{{switchboard.schemas-dir}}/events-subscription.json")
                .bean(EventSubscriptions.class, "begin")
                .doTry()
                    .to("direct:events-subscription-connection")
                    .to("direct:events-subscription-rule")
                    .to("direct:events-subscription-targets")
                    .bean(EventSubscriptions.class, "created")
                    .bean(JsonResponses.class, "created")
                .doCatch(Exception.class)
                    // audited, and answered with the failed step and what already exists
                    .bean(EventSubscriptions.class, "stepFailed")
                    .bean(Problems.class, "answer")
                .end();

        from("direct:events-subscription-connection").routeId("events-subscription-connection")
                .errorHandler(noErrorHandler()) // the subscription route audits and answers
                .bean(EventSubscriptions.class, "connectionRequest")
                .to(Upstream.CXONE).id("events-subscription-cxone")
                .bean(EventSubscriptions.class, "connectionCreated");

        from("direct:events-subscription-rule").routeId("events-subscription-rule")
                .errorHandler(noErrorHandler()) // the subscription route audits and answers
                .bean(EventSubscriptions.class, "ruleRequest")
                .to(PUT_RULE).id("events-subscription-put-rule")
                .bean(EventSubscriptions.class, "ruleCreated");

        from("direct:events-subscription-targets").routeId("events-subscription-targets")
                .errorHandler(noErrorHandler()) // the subscription route audits and answers
                .bean(EventSubscriptions.class, "targetsRequest")
                .to(PUT_TARGETS).id("events-subscription-put-targets")
                .bean(EventSubscriptions.class, "targetsCreated");
    }
}
