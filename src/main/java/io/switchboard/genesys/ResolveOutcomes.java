package io.switchboard.genesys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.json.JsonAnswers;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How a resolve ends: every one is audited (workflow {@code genesys-integrations}, action
 * {@code integration.resolve}) and, once it passed validation, counted in {@link ResolveMetrics}.
 * A success answers 201 with Genesys Cloud's integration and what the pre-flight found.
 */
@Component
public class ResolveOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(ResolveOutcomes.class);

    static final String WORKFLOW = "genesys-integrations";
    static final String ACTION = "integration.resolve";

    private final AuditLog audit;
    private final ResolveMetrics metrics;
    private final MeterRegistry meters;
    private final Problems problems;
    private final ObjectMapper json;

    public ResolveOutcomes(AuditLog audit, ResolveMetrics metrics, MeterRegistry meters, Problems problems, ObjectMapper json) {
        this.audit = audit;
        this.metrics = metrics;
        this.meters = meters;
        this.problems = problems;
        this.json = json;
    }

    /** First step: the clock of this resolve starts. */
    public void start(Exchange exchange) {
        exchange.setProperty(ResolveExchange.STARTED, System.nanoTime());
    }

    /** Genesys Cloud created the integration: audit, count, and answer with what was found. */
    public void succeeded(Exchange exchange) {
        long latency = latencyMs(exchange);
        ResolveRequest request = exchange.getProperty(ResolveExchange.REQUEST, ResolveRequest.class);
        JsonNode integration = JsonAnswers.upstreamObject(json, exchange.getMessage(), "the integration create");
        @SuppressWarnings("unchecked")
        List<DestinationReport> reports = exchange.getProperty(ResolveExchange.REPORTS, List.class);
        Integer attempts = exchange.getMessage().getHeader(Upstream.ATTEMPTS, Integer.class);

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("integration", integration);
        answer.put("destinations", reports);
        answer.put("submitAttempts", attempts);
        answer.put("latencyMs", latency);

        String id = integration != null && integration.hasNonNull("id") ? integration.get("id").asText() : request.name();
        audit.record(AuditRecord.of(exchange, WORKFLOW, ACTION).target(id).success(201).latencyMs(latency)
                .payload(auditPayload(request.json(), reports, null)));
        metrics.record(true, latency);
        LOG.info("Genesys Cloud integration {} created after {} destination(s) passed their checks ({} ms)",
                id, reports == null ? 0 : reports.size(), latency);
        exchange.getMessage().setBody(answer);
    }

    /** The resolve failed at some step: audit and count it (the platform's {@link Problems} answers it). */
    public void failed(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        long latency = latencyMs(exchange);
        ResolveRequest request = exchange.getProperty(ResolveExchange.REQUEST, ResolveRequest.class);
        int status = statusOf(failure);
        ProblemException problem = problemOf(failure);
        String check = problem == null ? null : (String) problem.extensions().get("check");
        String error = problem != null ? problem.detail() : failure.getMessage();

        String body = request != null ? request.json() : exchange.getMessage().getBody(String.class);
        audit.record(AuditRecord.of(exchange, WORKFLOW, ACTION)
                .target(request != null ? request.name() : null)
                .failure(status, error)
                .latencyMs(latency)
                .payload(auditPayload(body, null, problem == null ? null : problem.extensions())));
        if (request != null) {
            metrics.record(false, latency);
        }
        LOG.info("Genesys Cloud integration resolve answered {} ({} ms): {}", status, latency, error);
        if (check != null) {
            meters.counter("switchboard.genesys-integrations.check.failures", "check", check).increment();
        }
    }

    private Map<String, Object> auditPayload(String requestJson, List<DestinationReport> reports,
                                             Map<String, Object> problemMembers) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("request", JsonAnswers.readOrText(json, requestJson));
        if (reports != null) {
            payload.put("destinations", reports);
        }
        if (problemMembers != null && !problemMembers.isEmpty()) {
            payload.put("problem", problemMembers);
        }
        return payload;
    }

    /** The status the API will answer, without logging anything (the API's handler does that). */
    private int statusOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ProblemException problem) {
                return problem.status();
            }
            if (cause instanceof JsonValidationException || cause instanceof JsonProcessingException) {
                return 400;
            }
            if (cause instanceof UpstreamException || cause instanceof IOException) {
                return problems.toProblem(cause).status();
            }
        }
        return 500;
    }

    private static ProblemException problemOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ProblemException problem) {
                return problem;
            }
        }
        return null;
    }

    private static long latencyMs(Exchange exchange) {
        Long started = exchange.getProperty(ResolveExchange.STARTED, Long.class);
        return started == null ? 0 : Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
