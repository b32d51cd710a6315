package io.switchboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Reads an envelope that passed {@code config/schemas/event-envelope.json} and derives its interaction id and
 * order key, checking what a schema cannot state. Anything wrong is a {@link ProblemException} listing every
 * problem: a 400 over HTTP, a dead letter with that reason from SQS.
 */
@Component
public class EventEnvelopes {

    /** Exchange property: the {@link IncomingEvent#key() idempotency key} of the event in the body. */
    public static final String KEY = "SwitchboardEventKey";
    /** Exchange property: the {@link IncomingEvent} itself (the body changes as it is recorded). */
    public static final String INCOMING = "SwitchboardIncomingEvent";

    static final int MAX_INTERACTION_ID = 64;
    private static final Pattern GENESYS_SOURCE = Pattern.compile("^aws\\.partner/genesys\\.com(\\.test)?/");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("[0-9]{10,16}");
    private static final Pattern ID_LIKE = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ObjectMapper json;

    public EventEnvelopes(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Route step: body (the validated JSON text) → {@link IncomingEvent}, property {@link #KEY} set, and the headers
     * X-Event-Id and X-Interaction-Id, which every log line written for the event carries from here on (MDC,
     * camel.mdc.custom-exchange-headers in config/application.yaml).
     */
    public IncomingEvent read(Exchange exchange) {
        IncomingEvent event = read(exchange.getIn().getBody(String.class));
        exchange.getIn().setHeader("X-Event-Id", event.eventId());
        exchange.getIn().setHeader("X-Interaction-Id", event.interactionId());
        exchange.setProperty(KEY, event.key());
        exchange.setProperty(INCOMING, event);
        return event;
    }

    IncomingEvent read(String envelope) {
        JsonNode root;
        try {
            root = json.readTree(envelope);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalidField("(body)", "not valid JSON");
        }
        List<FieldError> errors = new ArrayList<>();
        String source = root.path("source").asText();
        JsonNode detail = root.path("detail");
        Instant time = instant(root.path("time"), "time", errors);

        String interactionId;
        long orderKey;
        Instant eventTime;
        if (GENESYS_SOURCE.matcher(source).find()) {
            JsonNode body = detail.path("eventBody");
            interactionId = text(body.path("conversationId"));
            if (interactionId == null) {
                interactionId = entityId(root.path("detail-type").asText(), detail.path("topicName").asText());
            }
            if (interactionId == null) {
                errors.add(new FieldError("detail.topicName",
                        "names no entity id, and detail.eventBody.conversationId is absent: no interaction id"));
            }
            eventTime = body.has("eventTime") ? instant(body.path("eventTime"), "detail.eventBody.eventTime", errors) : time;
            orderKey = eventTime == null ? 0 : eventTime.toEpochMilli();
        } else {
            interactionId = text(detail.path("interaction.id"));
            eventTime = time;
            JsonNode sequence = detail.path("sequence");
            orderKey = sequence.canConvertToLong() ? sequence.asLong() : time == null ? 0 : time.toEpochMilli();
        }
        if (interactionId != null && interactionId.length() > MAX_INTERACTION_ID) {
            errors.add(new FieldError("interactionId", "the interaction id is longer than " + MAX_INTERACTION_ID
                    + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new IncomingEvent(root.path("id").asText(), interactionId, source, root.path("detail-type").asText(),
                orderKey, eventTime, envelope);
    }

    /**
     * The entity a Genesys topic is about: the value in {@code topicName} at the last {@code {id}} of the topic
     * pattern in {@code detail-type} ({@code v2.audits.entitytype.{id}.entityid.{id}} →
     * the user's id); when the two do not line up, the last UUID in {@code topicName}.
     */
    static String entityId(String detailType, String topicName) {
        String[] pattern = detailType.split("\\.");
        String[] topic = topicName.split("\\.");
        if (pattern.length == topic.length) {
            for (int i = pattern.length - 1; i >= 0; i--) {
                if (pattern[i].equals("{id}") && !topic[i].isBlank()) {
                    return topic[i];
                }
            }
        }
        String last = null;
        var matcher = ID_LIKE.matcher(topicName);
        while (matcher.find()) {
            last = matcher.group();
        }
        return last;
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    /** An RFC 3339 date-time, or (Genesys) epoch milliseconds as a number. */
    private static Instant instant(JsonNode node, String field, List<FieldError> errors) {
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        if (node.isTextual() && EPOCH_MILLIS.matcher(node.asText()).matches()) {
            return Instant.ofEpochMilli(Long.parseLong(node.asText()));
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "is not an RFC 3339 date-time (or epoch milliseconds)"));
            return null;
        }
    }
}
