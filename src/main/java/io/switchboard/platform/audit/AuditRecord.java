package io.switchboard.platform.audit;

import io.switchboard.platform.http.ApiRequestFilter;
import org.apache.camel.Exchange;

/**
 * What a workflow fills in to audit one attempt; {@link AuditLog#record(AuditRecord)} stores it.
 * <pre>
 * audit.record(AuditRecord.of(exchange, "email", "channel.create")
 *         .target(channelId).success(201).latencyMs(ms).payload(request));
 * </pre>
 */
public final class AuditRecord {

    final String workflow;
    final String action;
    String targetId;
    String operator;
    String correlationId;
    String outcome = AuditEntry.SUCCESS;
    Integer httpStatus;
    Long latencyMs;
    String error;
    Object payload;

    private AuditRecord(String workflow, String action) {
        this.workflow = workflow;
        this.action = action;
    }

    public static AuditRecord of(String workflow, String action) {
        return new AuditRecord(workflow, action);
    }

    /** Starts a record with the operator and correlation id of the API request on this exchange. */
    public static AuditRecord of(Exchange exchange, String workflow, String action) {
        AuditRecord record = new AuditRecord(workflow, action);
        record.operator = exchange.getIn().getHeader(ApiRequestFilter.OPERATOR_HEADER, "system", String.class);
        record.correlationId = exchange.getIn().getHeader(ApiRequestFilter.CORRELATION_HEADER, String.class);
        return record;
    }

    public AuditRecord target(String targetId) {
        this.targetId = targetId;
        return this;
    }

    public AuditRecord operator(String operator) {
        this.operator = operator;
        return this;
    }

    public AuditRecord correlationId(String correlationId) {
        this.correlationId = correlationId;
        return this;
    }

    public AuditRecord success(Integer httpStatus) {
        this.outcome = AuditEntry.SUCCESS;
        this.httpStatus = httpStatus;
        return this;
    }

    public AuditRecord failure(Integer httpStatus, String error) {
        this.outcome = AuditEntry.FAILURE;
        this.httpStatus = httpStatus;
        this.error = error;
        return this;
    }

    public AuditRecord latencyMs(long latencyMs) {
        this.latencyMs = latencyMs;
        return this;
    }

    /** The payload to keep (any object, JSON string or tree); its secrets are replaced when stored. */
    public AuditRecord payload(Object payload) {
        this.payload = payload;
        return this;
    }
}
