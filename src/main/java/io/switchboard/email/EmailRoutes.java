package io.switchboard.email;

import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.platform.http.ApiRouteConfiguration;
import io.switchboard.platform.http.JsonResponses;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.retry.BackoffThenDeadLetter;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamRetryPolicy;
import io.switchboard.platform.cluster.ClusterSingletons;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Endpoint;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * The email SMTP relay workflow (docs/api.md#email-smtp-relay-channels; docs/architecture.md#email).
 *
 * <pre>
 * POST /api/email/channels          validate → create on CXone → connectivity test → audit → 201 {channel, test}
 * POST /api/email/smtp-test         dry-run rules (server, port 25–1024, TLS on 465/587); ?probe=true adds a live SMTP session
 * GET  /api/email/delivery/summary  the last completed delivery-report poll
 * timer (email.reports.poll-period) every report page, streaming → summary, metrics → failed items, once,
 *                                   onto email.retry-queue
 * email.retry-queue (SQS)           POST /api/v1/email/delivery/retry with backoff (email.retry.*) or after CXone's
 *                                   Retry-After → dead letter
 * </pre>
 */
@Component
public class EmailRoutes extends RouteBuilder {

    private final EmailProperties properties;
    private final RetryQueueLedger retryQueueLedger;
    private final DeliveryRetry deliveryRetry;
    private final ClusterSingletons singletons;
    private final UpstreamRetryPolicy upstreamRetries;

    public EmailRoutes(EmailProperties properties, RetryQueueLedger retryQueueLedger, DeliveryRetry deliveryRetry,
                       ClusterSingletons singletons, UpstreamRetryPolicy upstreamRetries) {
        this.properties = properties;
        this.upstreamRetries = upstreamRetries;
        this.singletons = singletons;
        this.retryQueueLedger = retryQueueLedger;
        this.deliveryRetry = deliveryRetry;
    }

    @Override
    public void configure() {
        rest("/api/email").description("Email SMTP relay channels (CXone)")
                .post("/channels").id("rest-email-channels-create")
                    .description("Provision an SMTP relay channel on CXone, run its connectivity test, audit")
                    .consumes("application/json").produces("application/json").to("direct:email-create-channel")
                .post("/smtp-test").id("rest-email-smtp-test")
                    .description("Dry-run check of SMTP relay settings; ?probe=true also opens a live SMTP session")
                    .consumes("application/json").produces("application/json")
                    .param().name("probe").type(RestParamType.query).dataType("boolean")
                        .description("open a live SMTP session to the relay (no mail is sent)").required(false).endParam()
                    .to("direct:email-smtp-test")
                .get("/delivery/summary").id("rest-email-delivery-summary")
                    .description("The last completed poll of the CXone delivery reports")
                    .produces("application/json").to("direct:email-delivery-summary");

        channelProvisioning();
        smtpTester();
        reportPolling();
        deliveryRetry();
    }

    private void channelProvisioning() {
        from("direct:email-create-channel").routeId("email-create-channel")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .doTry()
                    .convertBodyTo(String.class)
                    .bean(ChannelProvisioning.class, "start")
                    .to("json-validator:{{switchboard.schemas-location}}/email-channel.json").id("email-channel-validate")
                    .to("direct:email-channel-provision")
                    .to("direct:email-channel-test")
                    .bean(ChannelProvisioning.class, "created")
                    .bean(JsonResponses.class, "created")
                .doCatch(Exception.class)
                    .bean(ChannelProvisioning.class, "failed")
                    .bean(Problems.class, "answer")
                .end();

        from("direct:email-channel-provision").routeId("email-channel-provision")
                .bean(ChannelProvisioning.class, "createRequest")
                .to(Upstream.CXONE).id("email-channel-create-call")
                .bean(ChannelProvisioning.class, "channelCreated");

        from("direct:email-channel-test").routeId("email-channel-test")
                .bean(ChannelProvisioning.class, "testRequest")
                .doTry()
                    .to(Upstream.CXONE).id("email-channel-test-call")
                    .bean(ChannelProvisioning.class, "testAnswered")
                .doCatch(Exception.class)
                    .bean(ChannelProvisioning.class, "testFailed")
                .end();
    }

    private void smtpTester() {
        from("direct:email-smtp-test").routeId("email-smtp-test")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .doTry()
                    .convertBodyTo(String.class)
                    .to("json-validator:{{switchboard.schemas-location}}/email-smtp-test.json").id("email-smtp-test-validate")
                    .bean(SmtpTester.class, "dryRun")
                    .filter(simple("${header.probe} =~ 'true'"))
                        .bean(SmtpTester.class, "probe").id("email-smtp-probe")
                    .end()
                    .bean(JsonResponses.class, "ok")
                .endDoTry()
                .doCatch(Exception.class)
                    .bean(SmtpTester.class, "invalid")
                    .bean(Problems.class, "answer")
                .end();
    }

    private void reportPolling() {
        // One poll per cluster: with switchboard.cluster.enabled only the leader of "email-reports" polls
        String timer = "timer:email-delivery-reports?period=" + properties.reports().pollPeriod().toMillis()
                + "&delay=" + properties.reports().initialDelay().toMillis();
        from(singletons.once("email-reports", timer)).routeId("email-reports-timer")
                .to("direct:email-poll-reports");

        from("direct:email-poll-reports").routeId("email-poll-reports")
                .bean(DeliveryReportPoll.class, "start")
                .doTry()
                    .loopDoWhile(method(DeliveryReportPoll.class, "hasNextPage"))
                        .to("direct:email-report-page")
                    .end()
                    .bean(DeliveryReportPoll.class, "complete")
                .endDoTry()
                .doCatch(Exception.class)
                    .bean(DeliveryReportPoll.class, "failed")
                .end();

        from("direct:email-report-page").routeId("email-report-page")
                .bean(DeliveryReportPoll.class, "requestPage")
                .to(Upstream.CXONE).id("email-report-page-call")
                .bean(DeliveryReportPoll.class, "readPage")
                .split(body()).stopOnException()
                    .to("direct:email-queue-failed-delivery")
                .end();

        from("direct:email-queue-failed-delivery").routeId("email-queue-failed-delivery")
                .idempotentConsumer(body(), retryQueueLedger).completionEager(true)
                    .bean(DeliveryReportPoll.class, "retryMessage")
                    .to("aws2-sqs://{{email.retry-queue}}").id("email-retry-queue-send")
                    .bean(DeliveryReportPoll.class, "queued")
                .end();

        from("direct:email-delivery-summary").routeId("email-delivery-summary")
                .routeConfigurationId(ApiRouteConfiguration.ID)
                .bean(DeliveryReports.class, "summary")
                .bean(JsonResponses.class, "ok");
    }

    private void deliveryRetry() {
        EmailProperties.Retry retry = properties.retry();
        Sqs2Endpoint queue = getCamelContext().getEndpoint(
                "aws2-sqs://{{email.retry-queue}}?maxMessagesPerPoll=10&waitTimeSeconds=" + retry.waitTimeSeconds(),
                Sqs2Endpoint.class);
        // the message stays invisible (and on the queue) for as long as its backoff runs; deleted only
        // once CXone took the retry or it became a dead letter
        queue.getConfiguration().setVisibilityTimeout((int) Math.max(2, retry.visibilityTimeout().toSeconds()));
        queue.getConfiguration().setExtendMessageVisibility(true);

        from(queue).routeId("email-retry")
                .errorHandler(BackoffThenDeadLetter.backoff(retry.initialDelay(), retry.maxDelay(), retry.maxAttempts())
                        .retryWhile(method(deliveryRetry, "shouldRetry"))
                        .honourRetryAfter(upstreamRetries.maxRetryAfter())
                        .onFailedAttempt(deliveryRetry::attemptFailed)
                        .toDeadLetter("direct:email-retry-exhausted"))
                .to("direct:email-retry-attempt").id("email-retry-try")
                .bean(DeliveryRetry.class, "succeeded");

        from("direct:email-retry-attempt").routeId("email-retry-attempt")
                .errorHandler(noErrorHandler()) // a failed call goes to email-retry's backoff as it is
                .bean(DeliveryRetry.class, "prepare")
                .to(Upstream.CXONE).id("email-retry-call");

        from("direct:email-retry-exhausted").routeId("email-retry-exhausted")
                .errorHandler(noErrorHandler())
                .bean(DeliveryRetry.class, "exhausted")
                .to(DeadLetters.ENDPOINT);
    }
}
