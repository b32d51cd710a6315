package io.switchboard.platform.deadletter;

import static io.switchboard.platform.http.QueryParameters.blank;
import static io.switchboard.platform.http.QueryParameters.instant;
import static io.switchboard.platform.http.QueryParameters.wholeNumber;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code /api/dead-letters}: list (newest first, filtered by source and time, paged like the audit log
 * with {@code limit} and the {@code before} cursor), redrive one or every one of a source to where the
 * work failed, discard.
 */
@Component
public class DeadLetterApi {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final DeadLetters deadLetters;
    private final ProducerTemplate producer;
    private final AuditLog audit;
    private final Clock clock;

    public DeadLetterApi(DeadLetters deadLetters, ProducerTemplate producer, AuditLog audit, Clock clock) {
        this.deadLetters = deadLetters;
        this.producer = producer;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * {@code {items, next}}: {@code next} is the {@code before} of the following page, present when this
     * page is full.
     */
    public Map<String, Object> list(@Header("source") String source, @Header("limit") String limit,
                                    @Header("before") String before, @Header("since") String since,
                                    @Header("until") String until, @Header("offset") String offset) {
        List<FieldError> errors = new ArrayList<>();
        int max = wholeNumber(limit, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int skip = wholeNumber(offset, "offset", 0, 0, Integer.MAX_VALUE, errors);
        Instant cursor = instant(before, "before", errors);
        Instant from = instant(since, "since", errors);
        Instant to = instant(until, "until", errors);
        if (source != null && source.length() > 80) {
            errors.add(new FieldError("source", "must be at most 80 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        String of = blank(source) ? null : source.trim();
        List<DeadLetter> items = deadLetters.list(of, from, to, cursor, skip, max);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", items);
        answer.put("total", deadLetters.total(of));
        answer.put("offset", skip);
        answer.put("limit", max);
        if (items.size() == max) {
            answer.put("next", items.get(items.size() - 1).createdAt().toString());
        }
        return answer;
    }

    /** Sends the stored payload and headers back to the endpoint it failed at, then forgets it. */
    public Map<String, Object> redrive(Exchange exchange, @Header("id") String id) {
        DeadLetter letter = deadLetters.find(id).orElseThrow(() -> ProblemException.notFound("No dead letter " + id));
        if (letter.redriveUri() == null || letter.redriveUri().isBlank()) {
            throw ProblemException.conflict("Dead letter " + id + " from " + letter.source()
                    + " records no place to send it back to; discard it instead");
        }
        send(letter);
        audit.record(AuditRecord.of(exchange, workflowOf(letter.source()), "dead-letter.redrive")
                .target(id).success(202).payload(Map.of("source", letter.source(), "reason", letter.reason())));
        return Map.of("id", id, "source", letter.source(), "redriven", true);
    }

    /**
     * Redrives every dead letter of {@code source} that was there when the call began (one that fails
     * again meanwhile is a new dead letter, not redriven twice) and answers how many went back and how
     * many could not (no place recorded to send them back to).
     */
    public Map<String, Object> redriveAll(Exchange exchange, @Header("source") String source) {
        if (blank(source)) {
            throw ProblemException.invalidField("source", "is required: the source whose dead letters to redrive");
        }
        String name = source.trim();
        List<String> ids = deadLetters.redrivableIds(name, clock.instant());
        int redriven = 0;
        for (String id : ids) {
            var letter = deadLetters.find(id);
            if (letter.isPresent()) {
                send(letter.get());
                redriven++;
            }
        }
        long left = deadLetters.count(name);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("source", name);
        answer.put("redriven", redriven);
        answer.put("remaining", left);
        audit.record(AuditRecord.of(exchange, workflowOf(name), "dead-letter.redrive-all")
                .target(name).success(202).payload(answer));
        return answer;
    }

    public Map<String, Object> discard(Exchange exchange, @Header("id") String id) {
        DeadLetter letter = deadLetters.find(id).orElseThrow(() -> ProblemException.notFound("No dead letter " + id));
        deadLetters.delete(id);
        audit.record(AuditRecord.of(exchange, workflowOf(letter.source()), "dead-letter.discard")
                .target(id).success(200).payload(Map.of("source", letter.source(), "reason", letter.reason())));
        return Map.of("id", id, "source", letter.source(), "discarded", true);
    }

    private void send(DeadLetter letter) {
        Map<String, Object> headers = new LinkedHashMap<>(letter.headers());
        producer.sendBodyAndHeaders(letter.redriveUri(), letter.rawPayload(), headers);
        deadLetters.delete(letter.id());
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
