package io.switchboard.events;

import static io.switchboard.platform.http.QueryParameters.wholeNumber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code GET /api/events/replay} and the answer of {@code POST /api/events}. */
@Component
public class EventReplay {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final String PATH = "/api/events/replay";

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public EventReplay(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * One page of recorded events in chronological order: {@code {total, events, next}}, {@code next} the URL
     * of the following page, absent on the last one.
     */
    public Map<String, Object> page(@Header("offset") String offsetParam, @Header("limit") String limitParam,
                                    @Header("interactionId") String interactionIdParam) {
        List<FieldError> errors = new ArrayList<>();
        int offset = wholeNumber(offsetParam, "offset", 0, 0, Integer.MAX_VALUE, errors);
        int limit = wholeNumber(limitParam, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        String interactionId = interactionIdParam == null || interactionIdParam.isEmpty() ? null : interactionIdParam;
        if (interactionId != null && interactionId.length() > EventEnvelopes.MAX_INTERACTION_ID) {
            errors.add(new FieldError("interactionId", "must be at most " + EventEnvelopes.MAX_INTERACTION_ID
                    + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        String where = interactionId == null ? "" : " WHERE interaction_id = :interactionId";
        Map<String, Object> params = interactionId == null ? Map.of() : Map.of("interactionId", interactionId);
        long total = jdbc.sql("SELECT COUNT(*) FROM events" + where).params(params).query(Long.class).single();
        List<JsonNode> events = new ArrayList<>();
        for (String envelope : jdbc.sql("SELECT envelope FROM events" + where
                        + " ORDER BY event_time, pk LIMIT :limit OFFSET :offset")
                .params(params).param("limit", limit).param("offset", offset).query(String.class).list()) {
            events.add(parse(envelope));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", total);
        page.put("events", events);
        if ((long) offset + events.size() < total && !events.isEmpty()) {
            page.put("next", PATH + "?offset=" + (offset + events.size()) + "&limit=" + limit
                    + (interactionId == null ? "" : "&interactionId=" + URLEncoder.encode(interactionId, StandardCharsets.UTF_8)));
        }
        return page;
    }

    /** Body of the 202 of {@code POST /api/events}. */
    public Map<String, Object> accepted(Exchange exchange) {
        IncomingEvent event = exchange.getProperty(EventEnvelopes.INCOMING, IncomingEvent.class);
        boolean duplicate = exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.eventId());
        body.put("interactionId", event.interactionId());
        body.put("status", duplicate ? "duplicate" : "accepted");
        return body;
    }

    private JsonNode parse(String envelope) {
        try {
            return json.readTree(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
