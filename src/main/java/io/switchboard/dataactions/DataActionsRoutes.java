package io.switchboard.dataactions;

import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.retry.BackoffThenDeadLetter;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * Data Actions (docs/api.md#data-actions; docs/architecture.md#data-actions): {@code POST /api/data-actions}
 * creates a CXone Data Action.
 *
 * <pre>
 *   data-actions-create           validate → submit → audit + callback outbox (one transaction) → 201;
 *                                 a failure is audited, then answered
 *   data-actions-submit           header matrix ≤ 8192 bytes → POST /api/v2/data-actions → follow ≤ 5 redirects
 *   data-actions-token            the bearer token the matrix counts (token fetch retried like any upstream call)
 *   data-actions-callback-outbox  every poll period: claim waiting callbacks from the outbox table → hand-off queue
 *   data-actions-callback         POST data_action.created to data-actions.webhook-url, backoff, then dead letter;
 *                                 delivered or dead-lettered, the callback leaves the outbox
 * </pre>
 *
 * A callback is durable from the create's audit record on: a process killed before it was delivered leaves it in
 * the outbox, and the next poll after its claim expires (of this instance after a restart, or of another) sends it
 * (docs/decisions/0051-durable-data-action-callbacks.md).
 */
@Component
public class DataActionsRoutes extends RouteBuilder {

    static final String CREATE = "direct:data-actions-create";
    static final String SUBMIT = "direct:data-actions-submit";
    /** Callbacks claimed from the outbox per poll, at most (the rest wait for the next poll). */
    static final int OUTBOX_BATCH = 200;
    static final String TOKEN = "direct:data-actions-token";

    private final DataActionsProperties properties;
    private final DataActionCallbacks callbacks;

    public DataActionsRoutes(DataActionsProperties properties, DataActionCallbacks callbacks) {
        this.properties = properties;
        this.callbacks = callbacks;
    }

    @Override
    public void configure() {
        rest("/api/data-actions").description("CXone Data Actions")
                .post().id("rest-data-actions-create")
                    .description("Validate and create a CXone Data Action (POST /api/v2/data-actions); 201 with "
                            + "CXone's answer and the correlation id; a data_action.created callback follows")
                    .consumes("application/json").produces("application/json")
                    .param().name("X-Correlation-ID").type(RestParamType.header).required(false)
                        .description("Sent to CXone and returned; generated when absent").endParam()
                    .to(CREATE);

        from(CREATE).routeId("data-actions-create")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(DataActionAttempts.class, "start")
                .doTry()
                    .convertBodyTo(String.class)
                    .setProperty(DataActionSubmission.PAYLOAD, body())
                    .to("json-validator:{{switchboard.schemas-location}}/data-action.json").id("data-actions-validate")
                    .to(SUBMIT)
                    .bean(DataActionAttempts.class, "created")
                    .bean(DataActionAttempts.class, "answer")
                    .bean(JsonResponses.class, "created")
                .doCatch(Exception.class)
                    .bean(DataActionAttempts.class, "failed")
                    .bean(Problems.class, "answer")
                .end();

        from(SUBMIT).routeId("data-actions-submit")
                .errorHandler(noErrorHandler())
                .bean(DataActionSubmission.class, "begin")
                .loopDoWhile(method(DataActionSubmission.class, "pending"))
                    .to(TOKEN)
                    .bean(DataActionSubmission.class, "checkHeaders")
                    .bean(DataActionSubmission.class, "prepareRequest")
                    .doTry()
                        .to(Upstream.CXONE).id("data-actions-upstream")
                        .bean(DataActionSubmission.class, "arrived")
                    .doCatch(UpstreamException.class).onWhen(UpstreamException.answered(RedirectTrail::isRedirect))
                        .bean(DataActionSubmission.class, "follow")
                    .end()
                .end();

        from(TOKEN).routeId("data-actions-token")
                .errorHandler(noErrorHandler())
                .bean(DataActionSubmission.class, "obtainToken");

        DataActionsProperties.Callback retry = properties.callback();
        from("timer:data-actions-callback-outbox?delay=1000&period=" + retry.pollPeriod().toMillis())
                .routeId("data-actions-callback-outbox")
                .filter(method(DataActionCallbacks.class, "enabled"))
                .bean(CallbackOutbox.class, "claimDue(" + OUTBOX_BATCH + ")")
                .split(body())
                    .bean(DataActionCallbacks.class, "fromOutbox")
                    .to(DataActionCallbacks.QUEUE).id("data-actions-callback-handoff")
                .end();

        from(DataActionCallbacks.QUEUE + "&concurrentConsumers=" + retry.concurrency()).routeId("data-actions-callback")
                .errorHandler(BackoffThenDeadLetter.backoff(retry.initialDelay(), retry.maxDelay(), retry.maxAttempts())
                        .logRetries(LoggingLevel.INFO)
                        .onFailedAttempt(callbacks::failedAttempt)
                        .onDeadLetter(callbacks::deadLettered)
                        .toDeadLetter(DeadLetters.ENDPOINT))
                .bean(DataActionCallbacks.class, "prepareDelivery")
                .to("http:data-actions-webhook").id("data-actions-callback-http")
                .bean(DataActionCallbacks.class, "delivered");
    }
}
