package io.switchboard.dataactions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.platform.logging.Secrets;
import java.io.UncheckedIOException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code data_action.created} callback to {@code data-actions.webhook-url}: its JSON
 * ({@code {event, timestamp, status, latency_ms, correlation_id}}, docs/api.md#data-actions), its delivery, and what
 * happens when the target keeps failing (a dead letter that a redrive puts back on the queue).
 *
 * <p>Callbacks wait in an in-memory queue ({@link #QUEUE}) between the create, which only enqueues,
 * and their delivery: the 201 never waits for, and never fails because of, the webhook.
 */
@Component
public class DataActionCallbacks {

    public static final String EVENT = "data_action.created";
    /** Dead-letter source of callbacks that exhausted their attempts. */
    public static final String SOURCE = "data-actions-callback";
    /** The queue of callbacks awaiting delivery (also where a redriven dead letter goes). */
    public static final String QUEUE = "seda:data-actions-callback?size=10000";
    /** Exchange property: failed POSTs of this callback so far (Integer). */
    static final String FAILURES = "DataActionCallbackFailures";

    private static final Logger LOG = LoggerFactory.getLogger(DataActionCallbacks.class);

    private final DataActionsProperties properties;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    public DataActionCallbacks(DataActionsProperties properties, ObjectMapper json, MeterRegistry meters) {
        this.properties = properties;
        this.json = json;
        this.meters = meters;
    }

    /** Is a webhook configured? Without one, no callback is sent. */
    public boolean enabled() {
        return properties.callbacksEnabled();
    }

    /**
     * wireTap onPrepare: turns the tapped copy of the create into the callback message (the event as
     * body, the correlation id as its only header).
     */
    public void event(Exchange tapped) {
        DataActionAttempts.Created created = tapped.getProperty(DataActionAttempts.CREATED, DataActionAttempts.Created.class);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", EVENT);
        event.put("timestamp", created.startedAt().truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("status", created.status());
        event.put("latency_ms", created.latencyMs());
        event.put("correlation_id", created.correlationId());
        Message message = tapped.getIn();
        message.removeHeaders("*");
        if (created.correlationId() != null) {
            message.setHeader(HeaderMatrix.CORRELATION_ID, created.correlationId());
        }
        try {
            message.setBody(json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Readies one delivery attempt: POST of the event as JSON to the webhook. */
    public void prepareDelivery(Exchange exchange) {
        if (!enabled()) {
            // a redriven dead letter after the webhook was unset: keep it as a dead letter
            throw new IllegalStateException("data-actions.webhook-url is not set; the callback cannot be delivered");
        }
        Message message = exchange.getIn();
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.HTTP_URI, properties.webhookUrl());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    public void delivered(Exchange exchange) {
        meters.counter("switchboard.data-actions.callbacks", "outcome", "delivered").increment();
        LOG.debug("Delivered {} callback (correlation id {})", EVENT, exchange.getIn().getHeader(HeaderMatrix.CORRELATION_ID));
    }

    /** Error handler onExceptionOccurred: one more failed POST (counted here, as the dead-letter channel's
     * original message no longer carries Camel's redelivery counter). */
    public void failedAttempt(Exchange exchange) {
        exchange.setProperty(FAILURES, exchange.getProperty(FAILURES, 0, Integer.class) + 1);
    }

    /**
     * Dead-letter channel onPrepareFailure: the callback failed {@code data-actions.callback.max-attempts}
     * times; describe it for the dead-letter store, with the queue as the place a redrive sends it.
     */
    public void deadLettered(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempts = Math.max(1, exchange.getProperty(FAILURES, 0, Integer.class));
        exchange.setProperty(DeadLetters.SOURCE, SOURCE);
        exchange.setProperty(DeadLetters.REDRIVE_URI, QUEUE);
        exchange.setProperty(DeadLetters.REDRIVE_HEADERS, List.of(HeaderMatrix.CORRELATION_ID));
        exchange.setProperty(DeadLetters.ATTEMPTS, attempts);
        exchange.setProperty(DeadLetters.REASON, EVENT + " callback to " + Secrets.mask(properties.webhookUrl())
                + " failed " + attempts + " time(s); last: " + describe(failure));
        meters.counter("switchboard.data-actions.callbacks", "outcome", "dead-letter").increment();
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        if (failure instanceof org.apache.camel.http.base.HttpOperationFailedException http) {
            return "answered " + http.getStatusCode();
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
