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
 *   data-actions-create     validate → submit → audit → notify → 201; a failure is audited, then answered
 *   data-actions-submit     header matrix ≤ 8192 bytes → POST /api/v2/data-actions → follow ≤ 5 redirects
 *   data-actions-token      the bearer token the matrix counts (token fetch retried like any upstream call)
 *   data-actions-notify     when a webhook is configured, queue the callback (a wire tap: nothing waits)
 *   data-actions-callback   POST data_action.created to data-actions.webhook-url, backoff, then dead letter
 * </pre>
 *
 * The callback queue is in memory (seda): a callback is a notification, not the data action itself,
 * and one that keeps failing is kept durably as a dead letter. Callbacks still queued or between
 * retries when the process dies are lost; the audit record of the create says one was queued.
 */
@Component
public class DataActionsRoutes extends RouteBuilder {

    static final String CREATE = "direct:data-actions-create";
    static final String SUBMIT = "direct:data-actions-submit";
    static final String NOTIFY = "direct:data-actions-notify";
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
                    .to(NOTIFY)
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

        from(NOTIFY).routeId("data-actions-notify")
                .filter(method(DataActionCallbacks.class, "enabled"))
                .wireTap(DataActionCallbacks.QUEUE).onPrepare(callbacks::event).id("data-actions-callback-tap");

        DataActionsProperties.Callback retry = properties.callback();
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
