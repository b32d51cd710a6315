package io.switchboard.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One audited mutation attempt, as {@code GET /api/audit} returns it. {@code payload} is already
 * redacted: every secret is {@code ***}.
 */
public record AuditEntry(
        long id,
        Instant timestamp,
        String workflow,
        String action,
        String targetId,
        String operator,
        String correlationId,
        String outcome,
        Integer httpStatus,
        Long latencyMs,
        String error,
        JsonNode payload) {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
}
