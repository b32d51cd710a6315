package io.switchboard.platform.deadletter;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.audit.SecretRedactor;
import io.switchboard.platform.logging.Secrets;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The dead-letter store. A workflow sends what it gives up on to {@code direct:dead-letter} (usable
 * as a {@code deadLetterChannel}), first setting on the exchange:
 * <ul>
 *   <li>{@link #SOURCE}: where it failed ({@code email-retry}, {@code events-sink-crm} ...);</li>
 *   <li>{@link #REDRIVE_URI}: the Camel endpoint a redrive sends the payload back to;</li>
 *   <li>optionally {@link #REDRIVE_HEADERS} (names of headers to keep for the redrive),
 *       {@link #REASON} (else the caught exception's message) and {@link #ATTEMPTS}
 *       (else the redelivery counter + 1).</li>
 * </ul>
 */
@Component
public class DeadLetters {

    public static final String SOURCE = "SwitchboardDeadLetterSource";
    public static final String REDRIVE_URI = "SwitchboardDeadLetterRedriveUri";
    public static final String REDRIVE_HEADERS = "SwitchboardDeadLetterRedriveHeaders";
    public static final String REASON = "SwitchboardDeadLetterReason";
    public static final String ATTEMPTS = "SwitchboardDeadLetterAttempts";
    public static final String ENDPOINT = "direct:dead-letter";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final SecretRedactor redactor;
    private final Clock clock;
    private final MeterRegistry meters;

    public DeadLetters(JdbcClient jdbc, ObjectMapper json, SecretRedactor redactor, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.json = json;
        this.redactor = redactor;
        this.clock = clock;
        this.meters = meters;
    }

    /** Route step of {@code direct:dead-letter}: store the exchange as a dead letter. */
    public String record(Exchange exchange) {
        String source = exchange.getProperty(SOURCE, "unknown", String.class);
        String reason = exchange.getProperty(REASON, String.class);
        if (reason == null) {
            Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            reason = failure == null ? "unknown" : failure.getMessage() == null
                    ? failure.getClass().getSimpleName() : failure.getMessage();
        }
        Integer attempts = exchange.getProperty(ATTEMPTS, Integer.class);
        if (attempts == null) {
            attempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Collection<?> keep = exchange.getProperty(REDRIVE_HEADERS, Collection.class);
        if (keep != null) {
            for (Object name : keep) {
                Object value = exchange.getIn().getHeader(name.toString());
                if (value != null) {
                    headers.put(name.toString(), value.toString());
                }
            }
        }
        return add(source, reason, attempts, exchange.getIn().getBody(String.class),
                exchange.getProperty(REDRIVE_URI, String.class), headers);
    }

    public String add(String source, String reason, int attempts, String payload, String redriveUri,
                      Map<String, String> headers) {
        String id = UUID.randomUUID().toString();
        String maskedReason = Secrets.mask(reason);
        jdbc.sql("""
                INSERT INTO dead_letters (id, source, reason, attempts, created_at, payload, redrive_uri, headers)
                VALUES (:id, :source, :reason, :attempts, :at, :payload, :uri, :headers)""")
                .param("id", id)
                .param("source", source)
                .param("reason", maskedReason)
                .param("attempts", attempts)
                .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .param("payload", payload)
                .param("uri", redriveUri)
                .param("headers", write(headers))
                .update();
        meters.counter("switchboard.dead_letters", "source", source).increment();
        LOG.warn("Dead letter {} from {} after {} attempt(s): {}", id, source, attempts, maskedReason);
        return id;
    }

    public List<DeadLetter> list(String source, int limit) {
        return list(source, null, null, null, 0, limit);
    }

    /**
     * Newest first, every filter optional: of one {@code source}, created at or after {@code since}, before
     * {@code until}, and strictly before the cursor {@code before} (the {@code createdAt} of the last item
     * of the previous page), after skipping {@code offset} of them (the console's page numbers).
     */
    public List<DeadLetter> list(String source, Instant since, Instant until, Instant before, int offset, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM dead_letters WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (source != null) {
            sql.append(" AND source = ?");
            params.add(source);
        }
        if (since != null) {
            sql.append(" AND created_at >= ?");
            params.add(OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
        }
        if (until != null) {
            sql.append(" AND created_at < ?");
            params.add(OffsetDateTime.ofInstant(until, ZoneOffset.UTC));
        }
        if (before != null) {
            sql.append(" AND created_at < ?");
            params.add(OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
        }
        sql.append(" ORDER BY created_at DESC, id LIMIT ").append(Math.max(1, limit)).append(" OFFSET ").append(Math.max(0, offset));
        return jdbc.sql(sql.toString()).params(params).query(this::deadLetter).list();
    }

    /** Ids of the dead letters of a source that record where to send them back, created up to {@code upTo}. */
    public List<String> redrivableIds(String source, Instant upTo) {
        return jdbc.sql("SELECT id FROM dead_letters WHERE source = :source AND redrive_uri IS NOT NULL"
                        + " AND created_at <= :upTo ORDER BY created_at, id")
                .param("source", source)
                .param("upTo", OffsetDateTime.ofInstant(upTo, ZoneOffset.UTC))
                .query(String.class).list();
    }

    /** Deletes the dead letters created before {@code cutoff} (retention); answers how many. */
    public int deleteOlderThan(Instant cutoff) {
        return jdbc.sql("DELETE FROM dead_letters WHERE created_at < :cutoff")
                .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
                .update();
    }

    public Optional<DeadLetter> find(String id) {
        return jdbc.sql("SELECT * FROM dead_letters WHERE id = :id").param("id", id).query(this::deadLetter).optional();
    }

    public boolean delete(String id) {
        return jdbc.sql("DELETE FROM dead_letters WHERE id = :id").param("id", id).update() > 0;
    }

    public long count(String source) {
        return jdbc.sql("SELECT COUNT(*) FROM dead_letters WHERE source = :source").param("source", source)
                .query(Long.class).single();
    }

    /** Dead letters of the source, or of every source when it is null. */
    public long total(String source) {
        return source == null ? jdbc.sql("SELECT COUNT(*) FROM dead_letters").query(Long.class).single() : count(source);
    }

    /** How many dead letters each source holds, sources in alphabetical order. */
    public Map<String, Long> countsBySource() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        jdbc.sql("SELECT source, COUNT(*) AS n FROM dead_letters GROUP BY source")
                .query((rs, row) -> counts.put(rs.getString("source"), rs.getLong("n"))).list();
        return counts;
    }

    private DeadLetter deadLetter(ResultSet rs, int row) throws SQLException {
        String payload = rs.getString("payload");
        return new DeadLetter(
                rs.getString("id"),
                rs.getString("source"),
                rs.getString("reason"),
                rs.getInt("attempts"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                redactor.redact(payload),
                payload,
                rs.getString("redrive_uri"),
                read(rs.getString("headers")));
    }

    private String write(Map<String, String> headers) {
        try {
            return headers == null || headers.isEmpty() ? null : json.writeValueAsString(headers);
        } catch (IOException e) {
            return null;
        }
    }

    private Map<String, String> read(String headers) {
        if (headers == null) {
            return Map.of();
        }
        try {
            return json.readValue(headers, new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            return Map.of();
        }
    }
}
