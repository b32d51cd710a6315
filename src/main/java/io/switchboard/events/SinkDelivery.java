package io.switchboard.events;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.deadletter.DeadLetters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One delivery of one event to one sink, through route {@code direct:events-deliver} (retries with exponential
 * backoff, then {@code direct:events-sink-failed}). Lanes call {@link #deliver}; the route calls the other
 * methods.
 */
@Component
public class SinkDelivery {

    /** Exchange property: the sink's name. */
    public static final String SINK = "SwitchboardEventSink";
    /** Exchange property: the {@link RecordedEvent} being delivered. */
    public static final String EVENT = "SwitchboardRecordedEvent";
    /** Exchange property: failed attempts so far. */
    public static final String FAILURES = "SwitchboardDeliveryFailures";
    /** Exchange property: how the delivery ended ({@link Outcome}). */
    public static final String OUTCOME = "SwitchboardDeliveryOutcome";
    /** Headers kept on a sink's dead letter so that a redrive knows which delivery to repeat. */
    public static final String PK_HEADER = "SwitchboardEventPk";
    public static final String SINK_HEADER = "SwitchboardEventSinkName";

    static final String ROUTE = "direct:events-deliver";
    static final String REDRIVE_URI = "direct:events-redrive";

    /** How a delivery ended. */
    public enum Outcome {
        /** The sink took it. */
        DELIVERED,
        /** Given up after {@code events.sink-max-attempts}: a dead letter. */
        DEAD,
        /** Neither (shutting down, or the store failed): still pending, to be delivered later. */
        PENDING
    }

    /** The result of {@link #deliver}: outcome and attempts made. */
    record Result(Outcome outcome, int attempts) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SinkDelivery.class);

    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final EventStore store;
    private final DeadLetters deadLetters;
    private final AuditLog audit;
    private final EventMetrics metrics;
    private final EventsProperties properties;
    private volatile boolean stopping;

    public SinkDelivery(ProducerTemplate producer, CamelContext camel, EventStore store, DeadLetters deadLetters,
                        AuditLog audit, EventMetrics metrics, EventsProperties properties) {
        this.producer = producer;
        this.camel = camel;
        this.store = store;
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.metrics = metrics;
        this.properties = properties;
    }

    /** Delivers {@code event} to {@code sink}, retrying as configured; blocks until it is done. */
    Result deliver(String sink, RecordedEvent event) {
        Exchange done = producer.send(ROUTE, exchange -> {
            exchange.getIn().setBody(event);
            exchange.setProperty(SINK, sink);
            exchange.setProperty(EVENT, event);
        });
        int attempts = done.getProperty(FAILURES, 0, Integer.class) + 1;
        Outcome outcome = done.getProperty(OUTCOME, Outcome.class);
        if (done.getException() != null || outcome == null) {
            Throwable failure = done.getException();
            LOG.warn("Delivery of event {} to sink {} did not complete ({}); it stays pending", event.eventId(), sink,
                    failure == null ? "no outcome" : failure.toString());
            return new Result(Outcome.PENDING, attempts);
        }
        if (outcome == Outcome.DELIVERED) {
            metrics.delivered(sink, Duration.between(event.receivedAt(), java.time.Instant.now()));
        }
        return new Result(outcome, attempts);
    }

    /** No more retries or dead letters: what is not delivered now stays pending for the next start. */
    void beginShutdown() {
        stopping = true;
    }

    boolean isStopping() {
        return stopping || camel.isStopping();
    }

    /**
     * Route step: the request a sink gets. The envelope as received is the body; {@code X-Event-Id} and
     * {@code X-Interaction-Id} identify it; an HTTP sink is called with POST and {@code application/json}. No other
     * header travels to the sink.
     */
    public void prepare(Exchange exchange) {
        RecordedEvent event = exchange.getProperty(EVENT, RecordedEvent.class);
        var message = exchange.getIn();
        message.removeHeaders("*");
        message.setHeader("X-Event-Id", event.eventId());
        message.setHeader("X-Interaction-Id", event.interactionId());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST); // the enum: a string is converted on every call
        message.setBody(event.envelope());
    }

    /** Error handler hook, before each wait: count the failed attempt. */
    public void attemptFailed(Exchange exchange) {
        exchange.setProperty(FAILURES, exchange.getProperty(FAILURES, 0, Integer.class) + 1);
    }

    /** Retry predicate: attempts left, and not shutting down (a delivery cut short stays pending). */
    public boolean shouldRetry(Exchange exchange) {
        return !isStopping() && exchange.getProperty(FAILURES, 0, Integer.class) < properties.sinkMaxAttempts();
    }

    /** Route step: the sink took the event. */
    public void succeeded(Exchange exchange) {
        exchange.setProperty(OUTCOME, Outcome.DELIVERED);
    }

    /**
     * Route step of {@code direct:events-sink-failed}: the attempts are used up. Marks the delivery dead and
     * files a dead letter (source {@code events-sink-<sink>}) whose redrive repeats this one delivery. While
     * shutting down, it leaves the delivery pending instead.
     */
    public void failed(Exchange exchange) {
        String sink = exchange.getProperty(SINK, String.class);
        RecordedEvent event = exchange.getProperty(EVENT, RecordedEvent.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempts = exchange.getProperty(FAILURES, 0, Integer.class);
        if (isStopping()) {
            LOG.info("Shutting down: delivery of event {} to sink {} stays pending for the next start",
                    event.eventId(), sink);
            exchange.setProperty(OUTCOME, Outcome.PENDING);
            return;
        }
        String reason = "Sink " + sink + " failed " + attempts + " time(s): "
                + (cause == null ? "unknown" : cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage());
        store.markDead(event.pk(), sink, attempts);
        var message = exchange.getIn();
        message.removeHeaders("*");
        message.setHeader(PK_HEADER, event.pk());
        message.setHeader(SINK_HEADER, sink);
        message.setBody(event.envelope());
        exchange.setProperty(DeadLetters.SOURCE, "events-sink-" + sink);
        exchange.setProperty(DeadLetters.REASON, reason);
        exchange.setProperty(DeadLetters.ATTEMPTS, attempts);
        exchange.setProperty(DeadLetters.REDRIVE_URI, REDRIVE_URI);
        exchange.setProperty(DeadLetters.REDRIVE_HEADERS, List.of(PK_HEADER, SINK_HEADER));
        String deadLetterId = deadLetters.record(exchange);
        metrics.deadLettered(sink);
        Integer status = cause instanceof HttpOperationFailedException http ? http.getStatusCode() : null;
        audit.record(AuditRecord.of("events", "event.dead-letter").target(event.eventId()).operator("system")
                .failure(status, reason)
                .payload(Map.of("sink", sink, "eventId", event.eventId(), "interactionId", event.interactionId(),
                        "attempts", attempts, "deadLetterId", deadLetterId)));
        exchange.setProperty(OUTCOME, Outcome.DEAD);
    }
}
