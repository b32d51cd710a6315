package io.switchboard.platform.deadletter;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/** {@code /api/dead-letters}: list, redrive to where the work failed, discard. */
@Component
public class DeadLetterApi {

    static final int LIMIT = 500;

    private final DeadLetters deadLetters;
    private final ProducerTemplate producer;
    private final AuditLog audit;

    public DeadLetterApi(DeadLetters deadLetters, ProducerTemplate producer, AuditLog audit) {
        this.deadLetters = deadLetters;
        this.producer = producer;
        this.audit = audit;
    }

    /** One page of dead letters, newest first: {@code {items, total, offset, limit}}. */
    public Map<String, Object> list(@Header("source") String source, @Header("offset") String offset,
                                    @Header("limit") String limit) {
        List<FieldError> errors = new ArrayList<>();
        int skip = whole("offset", offset, 0, 0, Integer.MAX_VALUE, errors);
        int max = whole("limit", limit, LIMIT, 1, LIMIT, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        String of = source == null || source.isBlank() ? null : source;
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", deadLetters.list(of, skip, max));
        page.put("total", deadLetters.total(of));
        page.put("offset", skip);
        page.put("limit", max);
        return page;
    }

    private static int whole(String field, String value, int fallback, int min, int max, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(field, "must be a whole number between " + min + " and " + max));
        return fallback;
    }

    /** Sends the stored payload and headers back to the endpoint it failed at, then forgets it. */
    public Map<String, Object> redrive(Exchange exchange, @Header("id") String id) {
        DeadLetter letter = deadLetters.find(id).orElseThrow(() -> ProblemException.notFound("No dead letter " + id));
        if (letter.redriveUri() == null || letter.redriveUri().isBlank()) {
            throw ProblemException.conflict("Dead letter " + id + " from " + letter.source()
                    + " records no place to send it back to; discard it instead");
        }
        Map<String, Object> headers = new LinkedHashMap<>(letter.headers());
        producer.sendBodyAndHeaders(letter.redriveUri(), letter.rawPayload(), headers);
        deadLetters.delete(id);
        audit.record(AuditRecord.of(exchange, workflowOf(letter.source()), "dead-letter.redrive")
                .target(id).success(202).payload(Map.of("source", letter.source(), "reason", letter.reason())));
        return Map.of("id", id, "source", letter.source(), "redriven", true);
    }

    public Map<String, Object> discard(Exchange exchange, @Header("id") String id) {
        DeadLetter letter = deadLetters.find(id).orElseThrow(() -> ProblemException.notFound("No dead letter " + id));
        deadLetters.delete(id);
        audit.record(AuditRecord.of(exchange, workflowOf(letter.source()), "dead-letter.discard")
                .target(id).success(200).payload(Map.of("source", letter.source(), "reason", letter.reason())));
        return Map.of("id", id, "source", letter.source(), "discarded", true);
    }

    /** Dead-letter sources are named after their workflow: {@code email-retry} → {@code email}. */
    static String workflowOf(String source) {
        for (String workflow : io.switchboard.platform.audit.AuditApi.WORKFLOWS) {
            if (source.startsWith(workflow)) {
                return workflow;
            }
        }
        return source;
    }
}
