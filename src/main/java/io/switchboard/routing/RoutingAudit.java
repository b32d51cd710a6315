package io.switchboard.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.json.JsonAnswers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The audit trail of the routing workflow (workflow {@code routing-rules}). Every create or update
 * attempt, refused by validation, by CXone or successful, is one record ({@code rule.create},
 * {@code rule.update}) whose payload carries the running {@code successCount} and {@code totalCount}
 * from {@link RoutingCounters}, written in the same transaction as the count.
 */
@Component
public class RoutingAudit {

    public static final String WORKFLOW = "routing-rules";

    private final AuditLog audit;
    private final RoutingCounters counters;
    private final Problems problems;
    private final ObjectMapper json;

    public RoutingAudit(AuditLog audit, RoutingCounters counters, Problems problems, ObjectMapper json) {
        this.audit = audit;
        this.counters = counters;
        this.problems = problems;
        this.json = json;
    }

    /** The rule is stored in CXone. */
    public void ruleChanged(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        int status = change.kind == RuleChange.Kind.CREATE ? 201 : 200;
        counters.count(true, totals -> audit.record(AuditRecord.of(exchange, WORKFLOW, change.kind.auditAction)
                .target(change.ruleId)
                .success(status)
                .latencyMs(change.elapsedMs())
                .payload(payload(change, totals, null))));
    }

    /**
     * doCatch of a create or update: count and audit the failure, then throw it on as the problem
     * the API answers (so it is described once, with the same status in the audit and the answer).
     */
    public void ruleChangeFailed(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        ProblemException problem = problems.toProblem(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        counters.count(false, totals -> audit.record(AuditRecord.of(exchange, WORKFLOW, change.kind.auditAction)
                .target(change.ruleId)
                .failure(problem.status(), problem.detail())
                .latencyMs(change.elapsedMs())
                .payload(payload(change, totals, problem))));
        throw problem;
    }

    private Map<String, Object> payload(RuleChange change, RoutingCounters.Totals totals, ProblemException problem) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("successCount", totals.successCount());
        payload.put("totalCount", totals.totalCount());
        payload.put("rule", change.rule != null ? change.rule : JsonAnswers.readOrText(json, change.requestBody));
        if (!change.fallbackChain.isEmpty()) {
            payload.put("fallbackChain", change.fallbackChain);
        }
        if (change.kind == RuleChange.Kind.UPDATE && change.rounds > 0) {
            payload.put("attempts", change.rounds);
            payload.put("ifMatch", change.etagsSent);
        }
        if (change.storedEtag != null) {
            payload.put("etag", change.storedEtag);
        }
        if (problem != null && !problem.errors().isEmpty()) {
            payload.put("errors", problem.errors());
        }
        return payload;
    }

}
