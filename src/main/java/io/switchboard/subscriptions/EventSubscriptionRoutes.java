package io.switchboard.subscriptions;

import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;

/**
 * EventBridge subscriptions to CXone or Genesys Cloud events ({@code /api/events/subscriptions}). AWS calls go
 * through the configured SDK clients: EventBridge through camel-aws2-eventbridge where it has the operation, the
 * queue policy and Genesys Cloud's partner bus through the SDK directly (docs/decisions/0050-subscriptions-converge.md).
 *
 * <pre>
 *   events-subscription-create       validate → begin → connection → rule → queue policy → target → record → 201/200
 *   events-subscription-connection     CXone: POST eventbridgeconnections (unless recorded already)
 *                                      Genesys: POST integration → PUT config → PATCH enabled → event source → bus
 *   events-subscription-rule           DescribeRule → PutRule unless the same rule exists
 *   events-subscription-queue-policy   GetQueueUrl → GetQueueAttributes(Policy) → SetQueueAttributes (merged) unless granted
 *   events-subscription-targets        ListTargetsByRule → PutTargets unless the same target exists
 *   events-subscription-list         GET: the recorded subscriptions
 *   events-subscription-delete       RemoveTargets → DeleteRule → DELETE platform connection → forget; each audited
 * </pre>
 */
@Component
public class EventSubscriptionRoutes extends RouteBuilder {

    /** pojoRequest: the typed request carries the bus name, so the endpoint's own bus name is not used. */
    static final String PUT_RULE = "aws2-eventbridge://default?operation=putRule&pojoRequest=true";
    static final String DESCRIBE_RULE = "aws2-eventbridge://default?operation=describeRule&pojoRequest=true";
    static final String PUT_TARGETS = "aws2-eventbridge://default?operation=putTargets&pojoRequest=true";
    static final String LIST_TARGETS = "aws2-eventbridge://default?operation=listTargetsByRule&pojoRequest=true";
    static final String REMOVE_TARGETS = "aws2-eventbridge://default?operation=removeTargets&pojoRequest=true";
    static final String DELETE_RULE = "aws2-eventbridge://default?operation=deleteRule&pojoRequest=true";

    @Override
    public void configure() {
        rest("/api/events/subscriptions").description("Subscribe to CXone or Genesys Cloud events through EventBridge")
                .post().id("rest-events-subscription-create")
                    .description("Create (or converge on) the platform connection, the EventBridge rule, the queue "
                            + "policy and the rule's target")
                    .consumes("application/json").produces("application/json")
                    .to("direct:events-subscription-create")
                .get().id("rest-events-subscription-list")
                    .description("The subscriptions Switchboard made").produces("application/json")
                    .to("direct:events-subscription-list")
                .delete("/{name}").id("rest-events-subscription-delete")
                    .description("Remove the target, the rule and the platform connection, in that order")
                    .produces("application/json")
                    .to("direct:events-subscription-delete");

        from("direct:events-subscription-create").routeId("events-subscription-create")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .convertBodyTo(String.class)
                .to("json-validator:{{switchboard.schemas-location}}/events-subscription.json")
                .doTry()
                    .bean(EventSubscriptions.class, "begin")
                    .to("direct:events-subscription-connection")
                    .to("direct:events-subscription-rule")
                    .to("direct:events-subscription-queue-policy")
                    .to("direct:events-subscription-targets")
                    .bean(EventSubscriptions.class, "record")
                    .bean(EventSubscriptions.class, "answer")
                .doCatch(Exception.class)
                    // audited, and answered with the failed step and what already exists
                    .bean(EventSubscriptions.class, "stepFailed")
                    .bean(Problems.class, "answer")
                .end();

        from("direct:events-subscription-connection").routeId("events-subscription-connection")
                .errorHandler(noErrorHandler()) // the subscription route audits and answers
                .choice()
                    .when(method(EventSubscriptions.class, "isGenesys"))
                        .to("direct:events-subscription-genesys")
                    .otherwise()
                        .filter(method(EventSubscriptions.class, "connectionNeeded"))
                            .bean(EventSubscriptions.class, "connectionRequest")
                            .to(Upstream.CXONE).id("events-subscription-cxone")
                            .bean(EventSubscriptions.class, "connectionCreated")
                        .end()
                        .bean(EventSubscriptions.class, "connectionDone")
                .end();

        from("direct:events-subscription-genesys").routeId("events-subscription-genesys")
                .errorHandler(noErrorHandler())
                .filter(method(EventSubscriptions.class, "connectionNeeded"))
                    .bean(GenesysEventSources.class, "integrationRequest")
                    .to(Upstream.GENESYS).id("events-subscription-genesys-integration")
                    .bean(GenesysEventSources.class, "integrationCreated")
                    .bean(GenesysEventSources.class, "configRequest")
                    .to(Upstream.GENESYS).id("events-subscription-genesys-config")
                    .bean(GenesysEventSources.class, "enableRequest")
                    .to(Upstream.GENESYS).id("events-subscription-genesys-enable")
                .end()
                .bean(EventSubscriptions.class, "connectionDone")
                .bean(GenesysEventSources.class, "findEventSource")
                .bean(GenesysEventSources.class, "associateBus");

        from("direct:events-subscription-rule").routeId("events-subscription-rule")
                .errorHandler(noErrorHandler())
                .bean(EventSubscriptions.class, "describeRuleRequest")
                .doTry()
                    .to(DESCRIBE_RULE).id("events-subscription-describe-rule")
                    .bean(EventSubscriptions.class, "ruleFound")
                .doCatch(ResourceNotFoundException.class)
                    .bean(EventSubscriptions.class, "ruleAbsent")
                .end()
                .filter(method(EventSubscriptions.class, "ruleNeeded"))
                    .bean(EventSubscriptions.class, "ruleRequest")
                    .to(PUT_RULE).id("events-subscription-put-rule")
                    .bean(EventSubscriptions.class, "rulePut")
                .end()
                .bean(EventSubscriptions.class, "ruleDone");

        from("direct:events-subscription-queue-policy").routeId("events-subscription-queue-policy")
                .errorHandler(noErrorHandler())
                .bean(EventSubscriptions.class, "queuePolicy");

        from("direct:events-subscription-targets").routeId("events-subscription-targets")
                .errorHandler(noErrorHandler())
                .bean(EventSubscriptions.class, "listTargetsRequest")
                .to(LIST_TARGETS).id("events-subscription-list-targets")
                .bean(EventSubscriptions.class, "targetsFound")
                .filter(method(EventSubscriptions.class, "targetNeeded"))
                    .bean(EventSubscriptions.class, "targetsRequest")
                    .to(PUT_TARGETS).id("events-subscription-put-targets")
                    .bean(EventSubscriptions.class, "targetsCreated")
                .end()
                .bean(EventSubscriptions.class, "targetsDone");

        from("direct:events-subscription-list").routeId("events-subscription-list")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(SubscriptionListing.class, "list")
                .bean(JsonResponses.class, "ok");

        from("direct:events-subscription-delete").routeId("events-subscription-delete")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(SubscriptionRemoval.class, "begin")
                .doTry()
                    .to("direct:events-subscription-remove-target")
                    .to("direct:events-subscription-delete-rule")
                    .to("direct:events-subscription-delete-connection")
                    .bean(SubscriptionRemoval.class, "finished")
                    .bean(JsonResponses.class, "ok")
                .doCatch(Exception.class)
                    .bean(SubscriptionRemoval.class, "stepFailed")
                    .bean(Problems.class, "answer")
                .end();

        from("direct:events-subscription-remove-target").routeId("events-subscription-remove-target")
                .errorHandler(noErrorHandler())
                .bean(SubscriptionRemoval.class, "removeTargetsRequest")
                .doTry()
                    .to(REMOVE_TARGETS).id("events-subscription-remove-targets")
                    .bean(SubscriptionRemoval.class, "targetRemoved")
                .doCatch(ResourceNotFoundException.class)
                    .bean(SubscriptionRemoval.class, "alreadyGone")
                .end();

        from("direct:events-subscription-delete-rule").routeId("events-subscription-delete-rule")
                .errorHandler(noErrorHandler())
                .bean(SubscriptionRemoval.class, "deleteRuleRequest")
                .doTry()
                    .to(DELETE_RULE).id("events-subscription-delete-rule-call")
                    .bean(SubscriptionRemoval.class, "removed")
                .doCatch(ResourceNotFoundException.class)
                    .bean(SubscriptionRemoval.class, "alreadyGone")
                .end();

        from("direct:events-subscription-delete-connection").routeId("events-subscription-delete-connection")
                .errorHandler(noErrorHandler())
                .filter(method(SubscriptionRemoval.class, "hasConnection"))
                    .bean(SubscriptionRemoval.class, "connectionDeleteRequest")
                    .doTry()
                        .choice()
                            .when(method(SubscriptionRemoval.class, "isGenesys"))
                                .to(Upstream.GENESYS).id("events-subscription-delete-genesys")
                            .otherwise()
                                .to(Upstream.CXONE).id("events-subscription-delete-cxone")
                        .end().endDoTry()
                        .bean(SubscriptionRemoval.class, "removed")
                    .doCatch(UpstreamException.class).onWhen(UpstreamException.answered(status -> status == 404))
                        .bean(SubscriptionRemoval.class, "alreadyGone")
                    .end()
                .end();
    }
}
