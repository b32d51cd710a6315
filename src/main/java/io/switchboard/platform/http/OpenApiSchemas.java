package io.switchboard.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Completes the OpenAPI document Camel's REST DSL generates with what the code knows but the DSL cannot say: the
 * JSON Schema each request body is validated against (config/schemas, the very files the routes validate with,
 * as {@code components.schemas}), and the application/problem+json answer every operation may give.
 */
public class OpenApiSchemas {

    /** Request bodies and the schema file each is validated against (by the route behind the operation). */
    static final Map<String, String> REQUEST_SCHEMAS = Map.ofEntries(
            Map.entry("post /api/events", "event-envelope.json"),
            Map.entry("post /api/events/subscriptions", "events-subscription.json"),
            Map.entry("post /api/email/channels", "email-channel.json"),
            Map.entry("post /api/email/smtp-test", "email-smtp-test.json"),
            Map.entry("post /api/data-actions", "data-action.json"),
            Map.entry("post /api/genesys/integrations/resolve", "genesys-integration-resolve.json"),
            Map.entry("post /api/routing/rules", "routing-rule.json"),
            Map.entry("put /api/routing/rules/{id}", "routing-rule.json"),
            Map.entry("post /api/routing/webhooks", "routing-webhook-registration.json"),
            Map.entry("post /api/webhooks/cxone", "routing-webhook-callback.json"));

    static final String PROBLEM = "Problem";
    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch");

    private final Path schemasDir;
    private final ObjectMapper json;

    public OpenApiSchemas(Path schemasDir, ObjectMapper json) {
        this.schemasDir = schemasDir;
        this.json = json;
    }

    /** Adds the schemas and problem answers to the document (nothing already there is replaced). */
    public void complete(ObjectNode root) {
        ObjectNode schemas = root.with("components").with("schemas");
        schemas.set(PROBLEM, problemSchema());
        JsonNode paths = root.path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = o.next();
                if (VERBS.contains(operation.getKey()) && operation.getValue() instanceof ObjectNode op) {
                    String file = REQUEST_SCHEMAS.get(operation.getKey() + " " + path.getKey());
                    if (file != null) {
                        String name = schemaName(file);
                        if (!schemas.has(name)) {
                            schemas.set(name, load(file, name));
                        }
                        requestBody(op, name);
                    }
                    problems(op, file != null);
                }
            }
        }
    }

    /** {@code event-envelope.json} → {@code EventEnvelope}. */
    static String schemaName(String file) {
        StringBuilder name = new StringBuilder();
        for (String part : file.replace(".json", "").split("[-_.]")) {
            if (!part.isEmpty()) {
                name.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return name.toString();
    }

    private JsonNode load(String file, String name) {
        ObjectNode schema;
        try {
            schema = (ObjectNode) json.readTree(Files.readString(schemasDir.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        schema.remove("$schema");
        schema.remove("$id");
        rewriteRefs(schema, "#/components/schemas/" + name + "/");
        return schema;
    }

    /** Pointers inside a schema file ({@code #/$defs/x}) keep pointing inside it once it is a component. */
    private static void rewriteRefs(JsonNode node, String prefix) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/")) {
                object.set("$ref", TextNode.valueOf(prefix + ref.asText().substring(2)));
            }
        }
        node.forEach(child -> rewriteRefs(child, prefix));
    }

    private void requestBody(ObjectNode operation, String schema) {
        ObjectNode body = operation.with("requestBody");
        body.put("required", true);
        ObjectNode media = body.with("content").with("application/json");
        media.with("schema").put("$ref", "#/components/schemas/" + schema);
    }

    private void problems(ObjectNode operation, boolean hasBody) {
        ObjectNode responses = operation.with("responses");
        problem(responses, "401", "No valid API key (X-API-Key or Authorization: Bearer)");
        problem(responses, "403", "The key's role may not do this");
        problem(responses, "404", "Not found");
        if (hasBody) {
            problem(responses, "400", "Invalid body: every invalid field named in errors");
            problem(responses, "413", "Body over switchboard.max-body-size");
            problem(responses, "415", "Body not application/json");
        }
    }

    private void problem(ObjectNode responses, String status, String description) {
        if (responses.has(status)) {
            return;
        }
        ObjectNode response = responses.with(status);
        response.put("description", description);
        response.with("content").with(Problems.MEDIA_TYPE).with("schema").put("$ref", "#/components/schemas/" + PROBLEM);
    }

    private ObjectNode problemSchema() {
        ObjectNode schema = json.createObjectNode();
        schema.put("type", "object");
        schema.put("description", "RFC 9457 problem details; errors names every invalid field");
        ObjectNode properties = schema.with("properties");
        properties.with("type").put("type", "string");
        properties.with("title").put("type", "string");
        properties.with("status").put("type", "integer");
        properties.with("detail").put("type", "string");
        ObjectNode errors = properties.with("errors");
        errors.put("type", "array");
        ObjectNode item = errors.with("items");
        item.put("type", "object");
        item.with("properties").with("field").put("type", "string");
        ((ObjectNode) item.get("properties")).with("message").put("type", "string");
        return schema;
    }
}
