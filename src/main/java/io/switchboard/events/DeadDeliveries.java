package io.switchboard.events;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.platform.http.ProblemException;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deliveries whose attempts are used up: marked dead and filed as a dead letter (source {@code events-sink-<sink>})
 * whose redrive makes that one delivery pending again.
 */
@Component
public class DeadDeliveries {

    /** Headers kept on a sink's dead letter so that a redrive knows which delivery to repeat. */
    public static final String PK_HEADER = "SwitchboardEventPk";
    public static final String SINK_HEADER = "SwitchboardEventSinkName";
    static final String REDRIVE_URI = "direct:events-redrive";

    private static final Logger LOG = LoggerFactory.getLogger(DeadDeliveries.class);

    private final DeliveryStore store;
    private final SinkReaders readers;
    private final DeadLetters deadLetters;
    private final AuditLog audit;
    private final EventMetrics metrics;
    private final CamelContext camel;
    private final int attempts;

    public DeadDeliveries(DeliveryStore store, SinkReaders readers, DeadLetters deadLetters, AuditLog audit,
                          EventMetrics metrics, CamelContext camel, EventsProperties properties) {
        this.attempts = properties.sinkMaxAttempts();
        this.store = store;
        this.readers = readers;
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.metrics = metrics;
        this.camel = camel;
    }

    /**
     * Route step of the dead letter channel: dead-letter the delivery; while shutting down, leave it pending for the
     * next start instead. Either way its interaction is free for the next event.
     */
    public void deadLetter(Exchange exchange) {
        Delivery delivery = exchange.getProperty(SinkRequests.DELIVERY, Delivery.class);
        RecordedEvent event = delivery.event();
        boolean dead = false;
        try {
            if (camel.isStopping()) {
                LOG.info("Shutting down: delivery of event {} to sink {} stays pending", event.eventId(), delivery.sink());
                return;
            }
            Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            // the error handler gives up only when all attempts are used (or when stopping, handled above)
            String reason = "Sink " + delivery.sink() + " failed " + attempts + " time(s): " + (cause == null ? "unknown"
                    : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            store.dead(delivery.sink(), event.pk(), attempts);
            dead = true;
            var message = exchange.getIn();
            message.removeHeaders("*");
            message.setHeader(PK_HEADER, event.pk());
            message.setHeader(SINK_HEADER, delivery.sink());
            message.setBody(event.envelope());
            exchange.setProperty(DeadLetters.SOURCE, "events-sink-" + delivery.sink());
            exchange.setProperty(DeadLetters.REASON, reason);
            exchange.setProperty(DeadLetters.ATTEMPTS, attempts);
            exchange.setProperty(DeadLetters.REDRIVE_URI, REDRIVE_URI);
            exchange.setProperty(DeadLetters.REDRIVE_HEADERS, List.of(PK_HEADER, SINK_HEADER));
            String deadLetterId = deadLetters.record(exchange);
            metrics.deadLettered(delivery.sink());
            Integer status = cause instanceof HttpOperationFailedException http ? http.getStatusCode() : null;
            audit.record(AuditRecord.of("events", "event.dead-letter").target(event.eventId()).operator("system")
                    .failure(status, reason).payload(Map.of("sink", delivery.sink(), "eventId", event.eventId(),
                            "interactionId", event.interactionId(), "attempts", attempts, "deadLetterId", deadLetterId)));
        } finally {
            readers.reader(delivery.sink()).finished(event, dead);
        }
    }

    /** Route step of {@code direct:events-redrive}: the dead delivery is pending again; its sink's reader finds it. */
    public void redeliver(@Header(PK_HEADER) Long pk, @Header(SINK_HEADER) String sink) {
        if (pk == null || readers.reader(sink) == null) {
            throw ProblemException.conflict("This dead letter names no configured sink (" + sink + ")");
        }
        if (!store.redrive(sink, pk)) {
            throw ProblemException.conflict("The delivery is no longer stored as dead (older than events.retention,"
                    + " or redriven already); discard the dead letter");
        }
    }
}
