package io.switchboard.platform.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reading a JSON text that may not be JSON: an upstream's answer, or a body already checked elsewhere
 * (a schema step answers malformed input with a 400 before these run). One place decides what "not JSON"
 * gives, so every workflow reads answers alike.
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
}
