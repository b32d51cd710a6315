package io.switchboard.dataactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.ApiRequestFilter;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.json.JsonAnswers;
import io.switchboard.platform.upstream.UnreadableAnswerException;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One {@code POST /api/data-actions} from the caller's side: when it started, its audit record
 * (one per attempt, success or failure), its metrics and the 201 answer.
 */
@Component
public class DataActionAttempts {

    public static final String WORKFLOW = "data-actions";
    public static final String ACTION = "data-action.create";
    /** Exchange property: the {@link Created} outcome of a successful create (what the callback reports). */
    public static final String CREATED = "DataActionCreated";
    /** Exchange property: CXone's answer to the create, read as JSON. */
    private static final String ANSWER = "DataActionAnswer";
    private static final String STARTED_AT = "DataActionStartedAt";
    private static final String STARTED_NANOS = "DataActionStartedNanos";
    private static final Logger LOG = LoggerFactory.getLogger(DataActionAttempts.class);

    /** A create CXone accepted: what the audit, the callback and the answer report. */
    public record Created(Instant startedAt, int status, long latencyMs, String correlationId) {
    }

    private final AuditLog audit;
    private final Problems problems;
    private final DataActionsProperties properties;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer latency;
    private final CallbackOutbox outbox;
    private final DataActionCallbacks callbacks;
    private final TransactionTemplate transactions;

    public DataActionAttempts(AuditLog audit, Problems problems, DataActionsProperties properties, ObjectMapper json,
                              Clock clock, MeterRegistry meters, CallbackOutbox outbox, DataActionCallbacks callbacks,
                              TransactionTemplate transactions) {
        this.outbox = outbox;
        this.callbacks = callbacks;
        this.transactions = transactions;
        this.audit = audit;
        this.problems = problems;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
        this.latency = Timer.builder("switchboard.data-actions.create.latency")
                .description("Time to answer POST /api/data-actions, upstream retries and redirects included")
                .register(meters);
    }

    public void start(Exchange exchange) {
        exchange.setProperty(STARTED_AT, clock.instant());
        exchange.setProperty(STARTED_NANOS, System.nanoTime());
    }

    /**
     * CXone accepted the create: audit it and, when a webhook is configured, record the {@code data_action.created}
     * callback in the outbox, both in one transaction (docs/decisions/0051-durable-data-action-callbacks.md).
     * CXone's answer must be JSON: one Switchboard cannot read (an HTML page with 200) is the platform's failure, a
     * 502. When the transaction fails the caller is answered 503 naming the data action CXone created: without the
     * record there is no callback, and a 201 would hide that (docs/decisions/0053-unrecorded-create-is-a-503.md).
     */
    public void created(Exchange exchange) {
        JsonNode answer = JsonAnswers.upstreamJson(json, exchange.getIn(), "the data action create");
        exchange.setProperty(ANSWER, answer);
        long latencyMs = elapsedMs(exchange);
        int status = exchange.getIn().getHeader(Upstream.STATUS, 201, Integer.class);
        String correlationId = exchange.getIn().getHeader(ApiRequestFilter.CORRELATION_HEADER, String.class);
        Created created = new Created(exchange.getProperty(STARTED_AT, Instant.class), status, latencyMs, correlationId);
        exchange.setProperty(CREATED, created);

        String id = answer.path("id").isValueNode() && !answer.path("id").asText().isBlank()
                ? answer.path("id").asText() : null;
        Map<String, Object> payload = payload(exchange, status, null);
        payload.put("callback", properties.callbacksEnabled() ? "queued" : "not configured");
        AuditRecord record = AuditRecord.of(exchange, WORKFLOW, ACTION)
                .target(id != null ? id : payloadName(exchange))
                .success(201).latencyMs(latencyMs).payload(payload);
        try {
            transactions.executeWithoutResult(tx -> {
                audit.record(record);
                if (properties.callbacksEnabled()) {
                    outbox.add(correlationId, callbacks.eventJson(created));
                }
            });
        } catch (RuntimeException storeRefused) {
            throw unrecorded(id, status, correlationId, storeRefused);
        }
        count("success", 201, latencyMs);
    }

    /**
     * The 503 of a create CXone made but Switchboard could not record: it names the data action (the caller must
     * not take the failure for "nothing was created") and says the callback was not scheduled.
     */
    private ProblemException unrecorded(String id, int upstreamStatus, String correlationId, RuntimeException cause) {
        String reference = UUID.randomUUID().toString();
        LOG.error("CXone created data action {} (correlation id {}) but its audit record{} could not be written "
                        + "(reference {})", id == null ? "(no id in CXone's answer)" : id, correlationId,
                properties.callbacksEnabled() ? " and data_action.created callback" : "", reference, cause);
        String what = id == null ? "a data action (its answer carried no id)" : "data action " + id;
        String callback = properties.callbacksEnabled()
                ? "could not record it or schedule its data_action.created callback, which will not be sent"
                : "could not record it (no callback is configured)";
        return new ProblemException(503, "Created but not recorded", "CXone created " + what + ", but Switchboard "
                + callback + ": its database refused the write. Check the data action on CXone before sending the "
                + "create again (the server log has the details under reference " + reference + ")")
                .with("dataActionId", id)
                .with("correlationId", correlationId)
                .with("upstreamStatus", upstreamStatus)
                .with("callbackScheduled", false)
                .with("reference", reference);
    }

    /**
     * doCatch: audit the failed attempt with the problem it is answered with, and leave that problem as
     * the exchange's caught exception for {@link Problems#answer} (so the answer and the audit record
     * say the same thing, and an unexpected failure is logged once).
     */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemException problem = problems.toProblem(failure);
        long latencyMs = elapsedMs(exchange);
        Integer upstreamStatus = failure instanceof UpstreamException upstream ? Integer.valueOf(upstream.status())
                : problem.extensions().get("upstreamStatus") instanceof Integer status ? status : null;
        record(exchange, AuditRecord.of(exchange, WORKFLOW, ACTION)
                .target(payloadName(exchange))
                .failure(problem.status(), describe(problem))
                .latencyMs(latencyMs)
                .payload(payload(exchange, upstreamStatus, failure)));
        count("failure", problem.status(), latencyMs);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, problem);
    }

    /**
     * The 201 body: CXone's answer with the request's {@code correlationId} added (CXone's own members
     * untouched); a JSON answer that is not an object is kept under {@code dataAction}.
     */
    public Object answer(Exchange exchange) {
        String correlationId = exchange.getIn().getHeader(ApiRequestFilter.CORRELATION_HEADER, String.class);
        JsonNode upstream = exchange.getProperty(ANSWER, JsonNode.class);
        if (upstream instanceof ObjectNode object) {
            if (!object.has("correlationId")) {
                object.put("correlationId", correlationId);
            }
            return object;
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("dataAction", upstream);
        wrapped.put("correlationId", correlationId);
        return wrapped;
    }

    /**
     * Stores the audit record of a failed attempt. If the audit store fails too, the caller still gets the problem
     * the attempt earned; the log says so.
     */
    private void record(Exchange exchange, AuditRecord record) {
        try {
            audit.record(record);
        } catch (RuntimeException auditDown) {
            LOG.error("Could not audit a data action create (correlation id {})",
                    exchange.getIn().getHeader(ApiRequestFilter.CORRELATION_HEADER), auditDown);
        }
    }

    /** The problem's detail, with every offending field of a validation failure named. */
    private static String describe(ProblemException problem) {
        if (problem.errors().isEmpty()) {
            return problem.detail();
        }
        StringBuilder text = new StringBuilder(problem.detail()).append(" (");
        for (int i = 0; i < problem.errors().size(); i++) {
            text.append(i == 0 ? "" : "; ").append(problem.errors().get(i).field()).append(": ")
                    .append(problem.errors().get(i).message());
        }
        return text.append(')').toString();
    }

    private Map<String, Object> payload(Exchange exchange, Integer upstreamStatus, Throwable failure) {
        Map<String, Object> payload = new LinkedHashMap<>();
        String request = exchange.getProperty(DataActionSubmission.PAYLOAD, String.class);
        payload.put("request", JsonAnswers.readOrText(json, request));
        payload.put("upstreamStatus", upstreamStatus);
        RedirectTrail trail = exchange.getProperty(DataActionSubmission.TRAIL, RedirectTrail.class);
        if (trail != null) {
            int attempts = trail.attempts();
            if (failure instanceof UpstreamException upstream && !RedirectTrail.isRedirect(upstream.status())
                    && !(failure instanceof UnreadableAnswerException)) { // an unreadable answer arrived: counted
                attempts += upstream.attempts();
            }
            payload.put("upstreamAttempts", attempts);
            payload.put("redirects", trail.hops());
        }
        payload.put("headerBytes", exchange.getProperty(DataActionSubmission.HEADER_BYTES, Integer.class));
        return payload;
    }

    private String payloadName(Exchange exchange) {
        return JsonAnswers.member(json, exchange.getProperty(DataActionSubmission.PAYLOAD, String.class), "name", null);
    }


    private long elapsedMs(Exchange exchange) {
        Long started = exchange.getProperty(STARTED_NANOS, Long.class);
        return started == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private void count(String outcome, int status, long latencyMs) {
        meters.counter("switchboard.data-actions.creates", "outcome", outcome, "status", Integer.toString(status))
                .increment();
        latency.record(latencyMs, TimeUnit.MILLISECONDS);
    }
}
