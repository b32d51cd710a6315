package io.switchboard.platform.deadletter;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.ProblemException;
import java.util.LinkedHashMap;
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

    public Map<String, Object> list(@Header("source") String source) {
        return Map.of("items", deadLetters.list(source == null || source.isBlank() ? null : source, LIMIT));
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
