package io.switchboard.console;

import io.switchboard.platform.audit.SecretRedactor;
import io.switchboard.platform.http.ProblemException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import io.switchboard.events.EventsProperties;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/interactions/{interactionId}/events}: an interaction's recorded events in delivery order, each
 * with every sink's delivery state (pending, delivered or dead) and attempts. The envelopes are shown with their
 * secrets masked. The store keeps a row only for a delivery not done (pending or dead, docs/events.md): a configured
 * sink without a row has taken the event (delivered).
 *
 * <p>This is the console's one read of the event store's tables ({@code events}, {@code event_deliveries}); should
 * the store's layout change, this query is the place to follow it. Until then a layout it does not know answers
 * 503 rather than a wrong picture.
 */
@Component
public class InteractionTimeline {

    static final int MAX_EVENTS = 500;

    private final JdbcClient jdbc;
    private final SecretRedactor redactor;
    private final EventsProperties properties;

    public InteractionTimeline(JdbcClient jdbc, SecretRedactor redactor, EventsProperties properties) {
        this.jdbc = jdbc;
        this.redactor = redactor;
        this.properties = properties;
    }

    /** Route step: the interaction's events and their deliveries. */
    public Map<String, Object> events(@Header("interactionId") String interactionId) {
        if (interactionId == null || interactionId.isBlank() || interactionId.length() > 64) {
            throw ProblemException.invalidField("interactionId", "must be 1-64 characters");
        }
        Map<Long, Map<String, Object>> events = new LinkedHashMap<>();
        try {
            jdbc.sql("""
                    SELECT pk, event_id, source, detail_type, order_key, event_time, received_at, envelope
                      FROM events WHERE interaction_id = :interaction ORDER BY order_key, event_time, pk LIMIT :max""")
                    .param("interaction", interactionId)
                    .param("max", MAX_EVENTS)
                    .query((rs, row) -> events.put(rs.getLong("pk"), event(rs))).list();
            if (!events.isEmpty()) {
                jdbc.sql("""
                        SELECT d.event_pk, d.sink, d.state, d.attempts, d.updated_at
                          FROM event_deliveries d JOIN events e ON e.pk = d.event_pk
                         WHERE e.interaction_id = :interaction ORDER BY d.sink""")
                        .param("interaction", interactionId)
                        .query((rs, row) -> delivery(events, rs)).list();
            }
        } catch (DataAccessException e) {
            throw new ProblemException(503, "Service Unavailable",
                    "The event store could not be read for the console: " + e.getMostSpecificCause().getMessage());
        }
        events.values().forEach(this::delivered);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("interactionId", interactionId);
        answer.put("events", new ArrayList<>(events.values()));
        return answer;
    }

    private Map<String, Object> event(ResultSet rs) throws SQLException {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", rs.getString("event_id"));
        event.put("source", rs.getString("source"));
        event.put("detailType", rs.getString("detail_type"));
        event.put("orderKey", rs.getLong("order_key"));
        event.put("time", rs.getObject("event_time", OffsetDateTime.class).toInstant());
        event.put("receivedAt", rs.getObject("received_at", OffsetDateTime.class).toInstant());
        event.put("deliveries", new ArrayList<Map<String, Object>>());
        event.put("envelope", redactor.redact(rs.getString("envelope")));
        return event;
    }

    /** Every configured sink without a pending or dead row has taken the event. */
    @SuppressWarnings("unchecked")
    private void delivered(Map<String, Object> event) {
        List<Map<String, Object>> deliveries = (List<Map<String, Object>>) event.get("deliveries");
        for (String sink : properties.sinkNames()) {
            if (deliveries.stream().noneMatch(d -> sink.equals(d.get("sink")))) {
                Map<String, Object> delivery = new LinkedHashMap<>();
                delivery.put("sink", sink);
                delivery.put("state", "delivered");
                deliveries.add(delivery);
            }
        }
        deliveries.sort((a, b) -> ((String) a.get("sink")).compareTo((String) b.get("sink")));
    }

    @SuppressWarnings("unchecked")
    private Object delivery(Map<Long, Map<String, Object>> events, ResultSet rs) throws SQLException {
        Map<String, Object> event = events.get(rs.getLong("event_pk"));
        if (event == null) {
            return null;
        }
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("sink", rs.getString("sink"));
        delivery.put("state", rs.getString("state"));
        delivery.put("attempts", rs.getInt("attempts"));
        delivery.put("updatedAt", rs.getObject("updated_at", OffsetDateTime.class).toInstant());
        ((List<Map<String, Object>>) event.get("deliveries")).add(delivery);
        return delivery;
    }
}
