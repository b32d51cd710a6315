package io.switchboard.platform.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.upstream.UnreadableAnswerException;
import io.switchboard.platform.upstream.Upstream;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.Message;

/**
 * Reading a JSON text that may not be JSON. One place decides what "not JSON" gives, so every workflow reads
 * answers alike:
 * <ul>
 *   <li>a platform's answer that the workflow needs ({@link #upstreamObject}, {@link #upstreamJson},
 *       {@link #upstreamOrNull}): not JSON, cut short, or empty where JSON is expected is an
 *       {@link UnreadableAnswerException}, the platform's failure (502), never a malformed body of the caller;</li>
 *   <li>text kept for the audit or read for a hint ({@link #readOrNull}, {@link #readOrText}, {@link #member}):
 *       whatever it is, nothing fails.</li>
 * </ul>
 * A caller's own body never comes here unchecked: the body door and the schema steps answer it with a 400 first.
 */
public final class JsonAnswers {

    private JsonAnswers() {
    }

    /** The JSON tree of {@code text}; null when the text is null, blank, or not JSON. */
    public static JsonNode readOrNull(ObjectMapper json, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The JSON tree of {@code text} when it is JSON, else the text itself (null stays null): for audit payloads. */
    public static Object readOrText(ObjectMapper json, String text) {
        JsonNode node = readOrNull(json, text);
        return node != null ? node : (text == null || text.isBlank() ? null : text);
    }

    /** The text of a top-level member of a JSON object, when present and not blank; else {@code fallback}. */
    public static String member(ObjectMapper json, String text, String member, String fallback) {
        JsonNode node = readOrNull(json, text);
        if (node != null && node.path(member).isValueNode() && !node.path(member).asText().isBlank()) {
            return node.path(member).asText();
        }
        return fallback;
    }

    /**
     * The platform's answer on {@code answer} (the message {@code direct:cxone} or {@code direct:genesys} returned),
     * which must be a JSON object. {@code what} names the request in the failure ("the data action create").
     *
     * @throws UnreadableAnswerException when the body is empty, not JSON, or JSON but not an object
     */
    public static JsonNode upstreamObject(ObjectMapper json, Message answer, String what) {
        JsonNode node = upstreamJson(json, answer, what);
        if (!node.isObject()) {
            throw UnreadableAnswerException.of(answer, what, "JSON that is not an object (" + kind(node) + ")");
        }
        return node;
    }

    /**
     * The platform's answer on {@code answer}, any JSON value.
     *
     * @throws UnreadableAnswerException when the body is empty or not JSON
     */
    public static JsonNode upstreamJson(ObjectMapper json, Message answer, String what) {
        JsonNode node = upstreamOrNull(json, answer, what);
        if (node == null) {
            throw UnreadableAnswerException.of(answer, what, "an empty body where JSON was expected");
        }
        return node;
    }

    /**
     * The platform's answer on {@code answer}, any JSON value, or null when the body is empty (a platform may
     * answer a change with 204, or with 201 and a Location).
     *
     * @throws UnreadableAnswerException when there is a body and it is not JSON
     */
    public static JsonNode upstreamOrNull(ObjectMapper json, Message answer, String what) {
        String text = answer.getBody(String.class);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        } catch (JsonProcessingException notJson) {
            throw notJson(answer, what, notJson);
        } catch (IOException unreadable) {
            throw UnreadableAnswerException.of(answer, what, "a body that could not be read");
        }
    }

    /**
     * The failure for an answer a workflow's own reader (a streaming one, say) found not to be JSON: where it broke
     * and the Content-Type the platform declared, nothing of the body.
     */
    public static UnreadableAnswerException notJson(Message answer, String what, JsonProcessingException failure) {
        String where = failure.getLocation() == null ? ""
                : " at line " + failure.getLocation().getLineNr() + ", column " + failure.getLocation().getColumnNr();
        @SuppressWarnings("unchecked")
        Map<String, String> headers = answer.getHeader(Upstream.RESPONSE_HEADERS, Map.class);
        String type = headers == null ? null : headers.get("Content-Type");
        return UnreadableAnswerException.of(answer, what, "a body that is not JSON (parsing failed" + where
                + (type == null ? "" : "; Content-Type " + type) + ")");
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "an array" : node.isTextual() ? "a string" : node.isNumber() ? "a number"
                : node.isBoolean() ? "a boolean" : "null";
    }
}
