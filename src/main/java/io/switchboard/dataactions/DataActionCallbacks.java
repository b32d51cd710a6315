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
 * <p>A callback is written to the database outbox ({@link CallbackOutbox}) with the create's audit record; the
 * delivery route takes it from there through an in-memory hand-off ({@link #QUEUE}) to the webhook, and removes it
 * once delivered or dead-lettered. The 201 never waits for, and never fails because of, the webhook; a callback
 * not yet delivered when the process dies is sent after the restart (docs/decisions/0051-durable-data-action-callbacks.md).
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

    /** Exchange property: the outbox row of the callback being delivered (absent on a redriven dead letter). */
    static final String OUTBOX_ID = "SwitchboardCallbackOutboxId";

    private final DataActionsProperties properties;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final CallbackOutbox outbox;

    public DataActionCallbacks(DataActionsProperties properties, ObjectMapper json, MeterRegistry meters,
                               CallbackOutbox outbox) {
        this.properties = properties;
        this.json = json;
        this.meters = meters;
        this.outbox = outbox;
    }

    /** Is a webhook configured? Without one, no callback is sent. */
    public boolean enabled() {
        return properties.callbacksEnabled();
    }

    /** The callback's JSON: {@code {event, timestamp, status, latency_ms, correlation_id}}. */
    public String eventJson(DataActionAttempts.Created created) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", EVENT);
        event.put("timestamp", created.startedAt().truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("status", created.status());
        event.put("latency_ms", created.latencyMs());
        event.put("correlation_id", created.correlationId());
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Route step: one callback claimed from the outbox becomes the message to deliver (body and correlation id). */
    public void fromOutbox(Exchange exchange) {
        CallbackOutbox.Pending pending = exchange.getIn().getBody(CallbackOutbox.Pending.class);
        Message message = exchange.getIn();
        message.removeHeaders("*");
        exchange.setProperty(OUTBOX_ID, pending.id()); // a property: nothing of it reaches the webhook
        if (pending.correlationId() != null) {
            message.setHeader(HeaderMatrix.CORRELATION_ID, pending.correlationId());
        }
        message.setBody(pending.body());
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
        outbox.remove(exchange.getProperty(OUTBOX_ID, Long.class));
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
        // the dead-letter store keeps it from here
        outbox.remove(exchange.getProperty(OUTBOX_ID, Long.class));
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
