package io.switchboard.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.logging.Secrets;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The audit trail: one row per mutation attempt, secrets replaced by {@code ***} before storing. */
@Component
public class AuditLog {

    public static final int MAX_LIMIT = 500;

    private final JdbcClient jdbc;
    private final SecretRedactor redactor;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    public AuditLog(JdbcClient jdbc, SecretRedactor redactor, ObjectMapper json, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.redactor = redactor;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    public void record(AuditRecord record) {
        jdbc.sql("""
                INSERT INTO audit_log (occurred_at, workflow, action, target_id, operator, correlation_id,
                                       outcome, http_status, latency_ms, error, payload)
                VALUES (:at, :workflow, :action, :target, :operator, :correlation, :outcome, :status, :latency,
                        :error, :payload)""")
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .param("workflow", truncate(record.workflow, 40))
                .param("action", truncate(record.action, 80))
                .param("target", truncate(record.targetId, 255))
                .param("operator", truncate(record.operator, 120))
                .param("correlation", truncate(record.correlationId, 255))
                .param("outcome", record.outcome)
                .param("status", record.httpStatus)
                .param("latency", record.latencyMs)
                .param("error", record.error == null ? null : Secrets.mask(record.error))
                .param("payload", redactor.redactToString(record.payload))
                .update();
        meters.counter("switchboard.audit.records", "workflow", record.workflow, "outcome", record.outcome).increment();
    }

    /** Deletes the items recorded before {@code cutoff} (retention); answers how many. */
    public int deleteOlderThan(Instant cutoff) {
        return jdbc.sql("DELETE FROM audit_log WHERE occurred_at < :cutoff")
                .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
                .update();
    }

    /** Newest first; every filter optional; {@code before} excludes entries at or after that instant. */
    public List<AuditEntry> find(String workflow, String action, Instant before, int limit) {
        return find(workflow, action, null, null, before, limit);
    }

    /**
     * Newest first; every filter optional: {@code outcome} success or failure, entries at or after {@code after}
     * and strictly before {@code before}.
     */
    public List<AuditEntry> find(String workflow, String action, String outcome, Instant after, Instant before,
                                 int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (workflow != null) {
            sql.append(" AND workflow = ?");
            params.add(workflow);
        }
        if (action != null) {
            sql.append(" AND action = ?");
            params.add(action);
        }
        if (outcome != null) {
            sql.append(" AND outcome = ?");
            params.add(outcome);
        }
        if (after != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(OffsetDateTime.ofInstant(after, ZoneOffset.UTC));
        }
        if (before != null) {
            sql.append(" AND occurred_at < ?");
            params.add(OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
        }
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ").append(Math.max(1, Math.min(limit, MAX_LIMIT)));
        return jdbc.sql(sql.toString()).params(params).query(this::entry).list();
    }

    private AuditEntry entry(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(
                rs.getLong("id"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("workflow"),
                rs.getString("action"),
                rs.getString("target_id"),
                rs.getString("operator"),
                rs.getString("correlation_id"),
                rs.getString("outcome"),
                (Integer) rs.getObject("http_status", Integer.class),
                (Long) rs.getObject("latency_ms", Long.class),
                rs.getString("error"),
                parse(rs.getString("payload")));
    }

    private JsonNode parse(String payload) {
        if (payload == null) {
            return null;
        }
        try {
            return json.readTree(payload);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(payload);
        }
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

}
