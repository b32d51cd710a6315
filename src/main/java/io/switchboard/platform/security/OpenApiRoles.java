package io.switchboard.platform.security;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestSecuritiesDefinition;
import org.apache.camel.model.rest.SecurityDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the API's security into the OpenAPI document ({@code /api/openapi.json}) from the same
 * {@link AccessPolicy} the API filter enforces, so the two cannot disagree: every REST service declares
 * the two ways to send a key (an {@code apiKey} scheme, header {@code X-API-Key}, and a {@code bearer}
 * scheme), and every operation requires either, with the role it needs as the requirement's role name
 * (OpenAPI's list of roles for non-OAuth schemes) and at the end of its summary ({@code Role: admin.}).
 */
@Component
public class OpenApiRoles {

    public static final String API_KEY_SCHEME = "apiKey";
    public static final String BEARER_SCHEME = "bearer";

    private final CamelContext context;

    public OpenApiRoles(CamelContext context) {
        this.context = context;
    }

    /** Once every RouteBuilder has added its REST services (the document is written on each request). */
    @EventListener(ApplicationReadyEvent.class)
    public void annotateAll() {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (RestDefinition rest : model.getRestDefinitions()) {
            annotate(rest);
        }
    }

    static void annotate(RestDefinition rest) {
        RestSecuritiesDefinition declared = rest.getSecurityDefinitions();
        if (declared == null || declared.getSecurityDefinitions() == null || declared.getSecurityDefinitions().isEmpty()) {
            RestSecuritiesDefinition schemes = new RestSecuritiesDefinition(rest);
            schemes.apiKey(API_KEY_SCHEME, "The API key, as configured in switchboard.api-keys").withHeader("X-API-Key").end();
            schemes.bearerToken(BEARER_SCHEME, "The API key as a bearer token: Authorization: Bearer <key>", "API key");
            rest.setSecurityDefinitions(schemes);
        }
        for (VerbDefinition verb : rest.getVerbs()) {
            String path = (rest.getPath() == null ? "" : rest.getPath()) + (verb.getPath() == null ? "" : verb.getPath());
            Role role = AccessPolicy.required(verb.asVerb(), path);
            List<SecurityDefinition> requirements = new ArrayList<>();
            requirements.add(requirement(API_KEY_SCHEME, role));
            requirements.add(requirement(BEARER_SCHEME, role));
            verb.setSecurity(requirements);
            String description = verb.getDescription() == null ? "" : verb.getDescription().trim();
            if (!description.contains("Role: ")) {
                verb.setDescription((description.isEmpty() ? "" : description + (description.endsWith(".") ? " " : ". "))
                        + "Role: " + role.text() + ".");
            }
        }
    }

    private static SecurityDefinition requirement(String scheme, Role role) {
        SecurityDefinition requirement = new SecurityDefinition();
        requirement.setKey(scheme);
        requirement.setScopes(role.text());
        return requirement;
    }
}
