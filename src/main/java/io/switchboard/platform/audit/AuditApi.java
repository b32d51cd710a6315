package io.switchboard.platform.audit;

import static io.switchboard.platform.http.QueryParameters.blank;
import static io.switchboard.platform.http.QueryParameters.instant;
import static io.switchboard.platform.http.QueryParameters.wholeNumber;

import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** {@code GET /api/audit}: checks the query and answers {@code {items:[...]}}, newest first. */
@Component
public class AuditApi {

    public static final Set<String> WORKFLOWS =
            Set.of("email", "data-actions", "genesys-integrations", "events", "routing-rules", "security");
    static final List<String> OUTCOMES = List.of(AuditEntry.SUCCESS, AuditEntry.FAILURE);
    static final int DEFAULT_LIMIT = 50;

    private final AuditLog auditLog;

    public AuditApi(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    public Map<String, Object> query(@Header("workflow") String workflow, @Header("action") String action,
                                     @Header("outcome") String outcome, @Header("after") String after,
                                     @Header("limit") String limit, @Header("before") String before) {
        List<FieldError> errors = new ArrayList<>();
        if (blank(workflow)) {
            workflow = null;
        } else if (!WORKFLOWS.contains(workflow)) {
            errors.add(new FieldError("workflow", "must be one of " + String.join(", ", WORKFLOWS.stream().sorted().toList())));
        }
        int max = wholeNumber(limit, "limit", DEFAULT_LIMIT, 1, AuditLog.MAX_LIMIT, errors);
        if (blank(outcome)) {
            outcome = null;
        } else if (!OUTCOMES.contains(outcome)) {
            errors.add(new FieldError("outcome", "must be one of " + String.join(", ", OUTCOMES)));
        }
        Instant cutoff = instant(before, "before", errors);
        Instant since = instant(after, "after", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return Map.of("items", auditLog.find(workflow, blank(action) ? null : action, outcome, since, cutoff, max));
    }
}
