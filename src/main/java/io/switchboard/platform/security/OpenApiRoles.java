package io.switchboard.platform.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Writes the API's security into the OpenAPI document ({@code /api/openapi.json}) from the same
 * {@link AccessPolicy} the API filter enforces, so the two cannot disagree: the document declares the
 * two ways to send a key (an {@code apiKey} scheme, header {@code X-API-Key}, and a {@code bearer}
 * scheme), and every operation requires either, with the role it needs as the requirement's role name
 * (OpenAPI 3.1's list of roles for non-OAuth schemes; 3.0 allowed them for OAuth only) and at the end of its
 * summary ({@code Role: admin.}).
 * Applied to each document served, after Camel wrote it (see {@code SchemaDocumentedApi}).
 */
public final class OpenApiRoles {

    public static final String API_KEY_SCHEME = "apiKey";
    public static final String BEARER_SCHEME = "bearer";
    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private OpenApiRoles() {
    }

    /** Adds the schemes, and each operation's requirements and role (the summary's role is written once). */
    public static void complete(ObjectNode document) {
        ObjectNode schemes = document.with("components").with("securitySchemes");
        ObjectNode apiKey = schemes.with(API_KEY_SCHEME);
        apiKey.put("type", "apiKey");
        apiKey.put("description", "The API key, as configured in switchboard.api-keys");
        apiKey.put("name", "X-API-Key");
        apiKey.put("in", "header");
        ObjectNode bearer = schemes.with(BEARER_SCHEME);
        bearer.put("type", "http");
        bearer.put("description", "The API key as a bearer token: Authorization: Bearer <key>");
        bearer.put("scheme", "bearer");
        bearer.put("bearerFormat", "API key");
        for (Iterator<Map.Entry<String, JsonNode>> p = document.path("paths").fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = o.next();
                if (VERBS.contains(operation.getKey()) && operation.getValue() instanceof ObjectNode op) {
                    annotate(op, AccessPolicy.required(operation.getKey(), path.getKey()));
                }
            }
        }
    }

    private static void annotate(ObjectNode operation, Role role) {
        ArrayNode security = operation.putArray("security");
        security.addObject().putArray(API_KEY_SCHEME).add(role.text());
        security.addObject().putArray(BEARER_SCHEME).add(role.text());
        String summary = operation.path("summary").asText("").trim();
        if (!summary.contains("Role: ")) {
            operation.put("summary", (summary.isEmpty() ? "" : summary + (summary.endsWith(".") ? " " : ". "))
                    + "Role: " + role.text() + ".");
        }
    }
}
