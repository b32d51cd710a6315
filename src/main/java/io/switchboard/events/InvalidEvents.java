package io.switchboard.events;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.springframework.stereotype.Component;

/**
 * Events that fail validation. From SQS they become a dead letter (source {@code events-invalid}) with every
 * problem as the reason, and their message is deleted: a retry could only fail the same way. A redrive sends
 * the envelope through validation again (useful once the schema accepts it).
 */
@Component
public class InvalidEvents {

    static final String SOURCE = "events-invalid";
    static final String REDRIVE_URI = "direct:events-ingest";

    private final Problems problems;
    private final DeadLetters deadLetters;
    private final AuditLog audit;
    private final EventMetrics metrics;

    public InvalidEvents(Problems problems, DeadLetters deadLetters, AuditLog audit, EventMetrics metrics) {
        this.problems = problems;
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** Route step (doCatch of validation): dead-letter the event in the body with its reasons. */
    public void deadLetter(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = reason(failure);
        String envelope = exchange.getIn().getBody(String.class);
        String id = deadLetters.add(SOURCE, reason, 1, envelope, REDRIVE_URI, Map.of());
        metrics.invalid();
        audit.record(AuditRecord.of("events", "event.invalid").target(id).operator("system")
                .failure(null, reason).payload(Map.of("deadLetterId", id, "reason", reason)));
    }

    /** Route step (HTTP): count and audit it; the API answers 400 naming the same problems. */
    public void refused(Exchange exchange) {
        metrics.invalid();
        String reason = reason(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        audit.record(AuditRecord.of(exchange, "events", "event.refused").failure(400, reason)
                .payload(Map.of("reason", reason)));
    }

    /** "field: message; field: message" for every problem found. */
    String reason(Throwable failure) {
        if (failure instanceof JsonValidationException || failure instanceof ProblemException) {
            ProblemException problem = problems.toProblem(failure);
            if (!problem.errors().isEmpty()) {
                return "Invalid event: " + problem.errors().stream()
                        .map(InvalidEvents::describe)
                        .collect(Collectors.joining("; "));
            }
            return "Invalid event: " + problem.detail();
        }
        return "Invalid event: " + (failure == null ? "unknown" : failure.getMessage());
    }

    private static String describe(FieldError error) {
        return error.field() + ": " + error.message();
    }
}
