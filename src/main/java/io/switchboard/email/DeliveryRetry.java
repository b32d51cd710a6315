package io.switchboard.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.platform.logging.Secrets;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import io.switchboard.platform.upstream.UpstreamRetryPolicy;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the retry route on {@code email.retry-queue}: one {@code POST /api/v1/email/delivery/retry
 * {messageId}} per attempt (the shared upstream call, without retries of its own), backoff between
 * attempts by the route's redelivery policy ({@code email.retry.*}) or CXone's Retry-After when it sends
 * one, each attempt audited, and after the last one a dead letter (source {@code email-retry}) that a
 * redrive puts back on the queue.
 */
@Component
public class DeliveryRetry {

    static final String SOURCE = "email-retry";
    static final String RETRY_PATH = "/api/v1/email/delivery/retry";
    private static final String MESSAGE_ID = "SwitchboardEmailRetryMessageId";
    private static final String ATTEMPTS = "SwitchboardEmailRetryAttempts";
    private static final String ATTEMPT_STARTED = "SwitchboardEmailRetryAttemptStarted";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRetry.class);

    /** A queue message that can never be retried (not JSON, no messageId): dead-lettered at once. */
    static class InvalidRetryMessage extends RuntimeException {
        InvalidRetryMessage(String message) {
            super(message);
        }
    }

    private final EmailProperties properties;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    public DeliveryRetry(EmailProperties properties, AuditLog audit, ObjectMapper json, MeterRegistry meters) {
        this.properties = properties;
        this.audit = audit;
        this.json = json;
        this.meters = meters;
    }

    /** Route step, run again on every redelivery: the retry call for the queued messageId. */
    public void prepare(Exchange exchange) {
        String messageId = exchange.getProperty(MESSAGE_ID, String.class);
        if (messageId == null) {
            messageId = messageId(exchange.getIn().getBody(String.class));
            exchange.setProperty(MESSAGE_ID, messageId);
        }
        exchange.setProperty(ATTEMPTS, exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1);
        exchange.setProperty(ATTEMPT_STARTED, System.nanoTime());
        // the SQS headers stay: the receipt handle is what deletes the message once this is over
        exchange.getIn().setHeader(Upstream.METHOD, "POST");
        exchange.getIn().setHeader(Upstream.PATH, RETRY_PATH);
        exchange.getIn().setHeader(Upstream.MAX_ATTEMPTS, 1); // the backoff is this route's, not nested retries
        exchange.getIn().setBody(Map.of("messageId", messageId));
    }

    /** retryWhile: another attempt for a 429, 5xx or I/O failure (the error handler counts the attempts). */
    public boolean shouldRetry(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        return UpstreamRetryPolicy.isRetryable(failure);
    }

    /** onExceptionOccurred: audit the failed attempt. */
    public void attemptFailed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof RejectedExecutionException) {
            return; // shutting down mid-backoff: not an attempt
        }
        String messageId = exchange.getProperty(MESSAGE_ID, String.class);
        int attempt = exchange.getProperty(ATTEMPTS, 0, Integer.class);
        int status = failure instanceof UpstreamException upstream ? upstream.status()
                : failure instanceof InvalidRetryMessage ? 400 : 502;
        String error = describe(failure);
        meters.counter("switchboard.email.retry.attempts", "outcome", "failure").increment();
        audit.record(AuditRecord.of(exchange, ChannelProvisioning.WORKFLOW, "delivery.retry").target(messageId)
                .failure(status, "attempt " + attempt + " of " + properties.retry().maxAttempts() + ": " + error)
                .latencyMs(attemptMs(exchange)).payload(messageId == null ? null : Map.of("messageId", messageId)));
        LOG.info("Retry of failed delivery {} failed (attempt {} of {}): {}", messageId, attempt,
                properties.retry().maxAttempts(), error);
    }

    /** Route step: CXone took the retry. */
    public void succeeded(Exchange exchange) {
        String messageId = exchange.getProperty(MESSAGE_ID, String.class);
        int attempt = exchange.getProperty(ATTEMPTS, 0, Integer.class);
        meters.counter("switchboard.email.retry.attempts", "outcome", "success").increment();
        audit.record(AuditRecord.of(exchange, ChannelProvisioning.WORKFLOW, "delivery.retry").target(messageId)
                .success(exchange.getIn().getHeader(Upstream.STATUS, Integer.class))
                .latencyMs(attemptMs(exchange)).payload(Map.of("messageId", messageId, "attempt", attempt)));
        LOG.info("Failed delivery {} handed back to CXone for retry (attempt {})", messageId, attempt);
    }

    /**
     * Dead-letter step: the attempts are used up (or the failure can never succeed). Shutting down in
     * the middle of the backoff is not a verdict: the exchange fails, and the SQS message, never deleted,
     * comes back to the queue for the next consumer.
     */
    public void exhausted(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof RejectedExecutionException rejected) {
            LOG.info("Retry of failed delivery {} interrupted by shutdown; it stays on {}",
                    exchange.getProperty(MESSAGE_ID), properties.retryQueue());
            throw rejected;
        }
        int attempts = exchange.getProperty(ATTEMPTS, 1, Integer.class);
        exchange.setProperty(DeadLetters.SOURCE, SOURCE);
        exchange.setProperty(DeadLetters.REDRIVE_URI, "aws2-sqs://" + properties.retryQueue());
        exchange.setProperty(DeadLetters.ATTEMPTS, attempts);
        exchange.setProperty(DeadLetters.REASON, "retry of failed delivery " + exchange.getProperty(MESSAGE_ID)
                + " gave up after " + attempts + " attempt(s): " + describe(failure));
        meters.counter("switchboard.email.retry.dead.letters").increment();
    }

    private String messageId(String body) {
        JsonNode node;
        try {
            node = body == null ? null : json.readTree(body);
        } catch (IOException e) {
            throw new InvalidRetryMessage("the retry-queue message is not JSON");
        }
        String messageId = node == null ? null : node.path("messageId").asText(null);
        if (messageId == null || messageId.isBlank()) {
            throw new InvalidRetryMessage("the retry-queue message has no messageId");
        }
        return messageId;
    }

    private static long attemptMs(Exchange exchange) {
        Long started = exchange.getProperty(ATTEMPT_STARTED, Long.class);
        return started == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        return Secrets.mask(failure instanceof IOException ? "CXone could not be reached: " + message : message);
    }
}
