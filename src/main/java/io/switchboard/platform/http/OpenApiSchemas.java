package io.switchboard.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.platform.config.DeploymentLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Completes the OpenAPI document Camel's REST DSL generates with what the code knows but the DSL cannot say, as
 * {@code components.schemas}: the JSON Schema each request body is validated against (config/schemas, the very
 * files the routes validate with), the schema of each operation's success answers (config/schemas/responses), and
 * the application/problem+json answers every operation may give (config/schemas/problem.json).
 * <p>
 * The files are read from {@code switchboard.schemas-location}, as the routes read theirs. When that is a folder
 * replacing the built-in schemas and a file is missing there (typically the answers' schemas, which only document),
 * the built-in copy is read.
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

    static final String RESPONSES = "responses/";

    /** Each operation's success answers: status and the schema file (under responses/) of the body it returns. */
    static final Map<String, Map<String, String>> RESPONSE_SCHEMAS = Map.ofEntries(
            Map.entry("get /api/whoami", Map.of("200", "whoami.json")),
            Map.entry("get /api/audit", Map.of("200", "audit-page.json")),
            Map.entry("get /api/overview", Map.of("200", "overview.json")),
            Map.entry("get /api/interactions/{interactionId}/events", Map.of("200", "interaction-events.json")),
            Map.entry("get /api/dead-letters", Map.of("200", "dead-letter-page.json")),
            Map.entry("post /api/dead-letters/{id}/redrive", Map.of("202", "dead-letter-redriven.json")),
            Map.entry("post /api/dead-letters/redrive", Map.of("202", "dead-letters-redriven.json")),
            Map.entry("delete /api/dead-letters/{id}", Map.of("200", "dead-letter-discarded.json")),
            Map.entry("post /api/email/channels", Map.of("201", "email-channel-created.json")),
            Map.entry("post /api/email/smtp-test", Map.of("200", "email-smtp-test.json")),
            Map.entry("get /api/email/delivery/summary", Map.of("200", "email-delivery-summary.json")),
            Map.entry("post /api/data-actions", Map.of("201", "data-action-created.json")),
            Map.entry("post /api/genesys/integrations/resolve", Map.of("201", "genesys-integration-resolved.json")),
            Map.entry("get /api/genesys/integrations/metrics", Map.of("200", "genesys-integration-metrics.json")),
            Map.entry("post /api/events", Map.of("202", "event-accepted.json")),
            Map.entry("get /api/events/replay", Map.of("200", "event-replay.json")),
            Map.entry("post /api/events/subscriptions",
                    Map.of("201", "events-subscription.json", "200", "events-subscription.json")),
            Map.entry("get /api/events/subscriptions", Map.of("200", "events-subscription-list.json")),
            Map.entry("delete /api/events/subscriptions/{name}", Map.of("200", "events-subscription-removed.json")),
            Map.entry("post /api/routing/rules", Map.of("201", "routing-rule-saved.json")),
            Map.entry("put /api/routing/rules/{id}", Map.of("200", "routing-rule-saved.json")),
            Map.entry("post /api/routing/webhooks", Map.of("201", "routing-webhook-registered.json")),
            Map.entry("post /api/webhooks/cxone", Map.of("200", "routing-webhook-received.json")));

    static final String PROBLEM = "Problem";
    static final String PROBLEM_FILE = "problem.json";
    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch");

    private final ResourceLoader resources;
    private final String location;
    private final ObjectMapper json;

    /** {@code location}: where the schemas are ({@code switchboard.schemas-location}, a Spring resource location). */
    public OpenApiSchemas(ResourceLoader resources, String location, ObjectMapper json) {
        this.resources = resources;
        this.location = location.endsWith("/") ? location : location + "/";
        this.json = json;
    }

    /** Adds the schemas, success answers and problem answers to the document (nothing already there is replaced). */
    public void complete(ObjectNode root) {
        ObjectNode schemas = root.with("components").with("schemas");
        schemas.set(PROBLEM, load(PROBLEM_FILE, PROBLEM));
        JsonNode paths = root.path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = o.next();
                if (VERBS.contains(operation.getKey()) && operation.getValue() instanceof ObjectNode op) {
                    String key = operation.getKey() + " " + path.getKey();
                    String file = REQUEST_SCHEMAS.get(key);
                    if (file != null) {
                        String name = schemaName(file);
                        component(schemas, file, name);
                        requestBody(op, name);
                    }
                    ObjectNode responses = op.with("responses");
                    if (responses.path("default").isEmpty()) {
                        responses.remove("default"); // Camel's placeholder, without the description OpenAPI requires
                    }
                    Map<String, String> answers = RESPONSE_SCHEMAS.getOrDefault(key, Map.of());
                    new TreeMap<>(answers).forEach((status, answer) -> {
                        String name = responseName(answer);
                        ObjectNode schema = component(schemas, RESPONSES + answer, name);
                        success(responses, status, schema, name);
                    });
                    problems(op, file != null, path.getKey().contains("{"));
                }
            }
        }
    }

    /** {@code event-envelope.json} → {@code EventEnvelope}. */
    static String schemaName(String file) {
        StringBuilder name = new StringBuilder();
        String base = file.substring(file.lastIndexOf('/') + 1).replace(".json", "");
        for (String part : base.split("[-_.]")) {
            if (!part.isEmpty()) {
                name.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return name.toString();
    }

    /** {@code responses/whoami.json} → {@code WhoamiResponse}. */
    static String responseName(String file) {
        return schemaName(file) + "Response";
    }

    private ObjectNode component(ObjectNode schemas, String file, String name) {
        if (!schemas.has(name)) {
            schemas.set(name, load(file, name));
        }
        return (ObjectNode) schemas.get(name);
    }

    private ObjectNode load(String file, String name) {
        Resource resource = resources.getResource(location + file);
        if (!resource.exists()) {
            resource = resources.getResource(DeploymentLayout.BUILT_IN_SCHEMAS + "/" + file);
        }
        ObjectNode schema;
        try (InputStream in = resource.getInputStream()) {
            schema = (ObjectNode) json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the schema " + file + " from " + location, e);
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

    /** The answer's description: its schema's title after "METHOD path: ". */
    private static void success(ObjectNode responses, String status, ObjectNode schema, String name) {
        if (responses.has(status) && responses.get(status).has("content")) {
            return;
        }
        String title = schema.path("title").asText("");
        String description = title.contains(": ") ? title.substring(title.indexOf(": ") + 2) : title;
        ObjectNode response = responses.with(status);
        response.put("description", description.isEmpty() ? "OK"
                : description.substring(0, 1).toUpperCase(Locale.ROOT) + description.substring(1));
        response.with("content").with("application/json").with("schema").put("$ref", "#/components/schemas/" + name);
    }

    private void problems(ObjectNode operation, boolean hasBody, boolean hasPathIds) {
        ObjectNode responses = operation.with("responses");
        boolean hasParameters = operation.path("parameters").size() > 0;
        if (hasBody || hasParameters || hasPathIds) {
            problem(responses, "400", "Invalid " + (hasBody ? "body" : "parameter") + ": every invalid field named in errors");
        }
        problem(responses, "401", "No valid API key (X-API-Key or Authorization: Bearer)");
        problem(responses, "403", "The key's role may not do this: requiredRole names the role it needs");
        if (hasPathIds) {
            problem(responses, "404", "Nothing of that id");
        }
        if (hasBody) {
            problem(responses, "413", "Body over switchboard.max-body-size");
            problem(responses, "415", "Body not application/json");
        }
        problem(responses, "429", "Too many wrong keys from this address, or the platform's request budget cannot serve"
                + " the call in time; Retry-After says when to come back");
        problem(responses, "default", "Any other failure (a conflict, a status the platform answered, 502/503 when it"
                + " failed or kept throttling, 500): problem+json, see docs/api.md");
    }

    private void problem(ObjectNode responses, String status, String description) {
        if (responses.has(status)) {
            return;
        }
        ObjectNode response = responses.with(status);
        response.put("description", description);
        response.with("content").with(Problems.MEDIA_TYPE).with("schema").put("$ref", "#/components/schemas/" + PROBLEM);
    }
}
