package io.switchboard.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.platform.logging.Secrets;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Copies a payload with every secret replaced by {@code ***}: members named like passwords, client
 * secrets, tokens or API keys at any depth, and any known secret value inside other strings.
 */
@Component
public class SecretRedactor {

    private final ObjectMapper json;

    public SecretRedactor(ObjectMapper json) {
        this.json = json;
    }

    /** A redacted JSON tree of any payload (a JSON string is parsed first); null stays null. */
    public JsonNode redact(Object payload) {
        if (payload == null) {
            return null;
        }
        JsonNode tree;
        if (payload instanceof JsonNode node) {
            tree = node.deepCopy();
        } else if (payload instanceof String text) {
            try {
                tree = json.readTree(text);
            } catch (IOException notJson) {
                return TextNode.valueOf(Secrets.mask(text));
            }
        } else if (payload instanceof byte[] bytes) {
            return redact(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } else {
            tree = json.valueToTree(payload);
        }
        return redactTree(tree);
    }

    public String redactToString(Object payload) {
        JsonNode tree = redact(payload);
        try {
            return tree == null ? null : json.writeValueAsString(tree);
        } catch (IOException e) {
            return null;
        }
    }

    private JsonNode redactTree(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (Secrets.isSecretKey(field.getKey()) && !field.getValue().isNull()
                        && !field.getValue().isContainerNode()) {
                    field.setValue(TextNode.valueOf(Secrets.MASK));
                } else {
                    field.setValue(redactTree(field.getValue()));
                }
            }
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redactTree(array.get(i)));
            }
            return array;
        }
        if (node.isTextual()) {
            String masked = Secrets.mask(node.asText());
            return masked.equals(node.asText()) ? node : TextNode.valueOf(masked);
        }
        return node;
    }
}
