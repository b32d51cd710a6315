package io.switchboard.genesys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * Reads a resolve request the JSON Schema has looked at: adds the rules a schema cannot state (each
 * destination a well-formed HTTPS URI with a usable host, see {@link DestinationParser}) and answers 400
 * naming every problem at once, schema findings included.
 */
@Component
public class ResolveRequests {

    private final ObjectMapper json;

    public ResolveRequests(ObjectMapper json) {
        this.json = json;
    }

    public ResolveRequest read(String body, @ExchangeProperty(ResolveExchange.SCHEMA_ERRORS) List<FieldError> schemaErrors)
            throws IOException {
        JsonNode root = json.readTree(body);
        List<FieldError> errors = new ArrayList<>(schemaErrors == null ? List.of() : schemaErrors);
        List<Destination> destinations = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        read("uri", root.path("uri"), errors, destinations, seen);
        JsonNode uris = root.path("uris");
        if (uris.isArray()) {
            for (int i = 0; i < uris.size(); i++) {
                read("uris[" + i + "]", uris.get(i), errors, destinations, seen);
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
            throw ProblemException.validation(errors);
        }
        return new ResolveRequest(root.path("name").asText(), body, List.copyOf(destinations));
    }

    private static void read(String field, JsonNode node, List<FieldError> errors, List<Destination> destinations,
                             Set<String> seen) {
        if (!node.isTextual() || !node.asText().regionMatches(true, 0, "https://", 0, 8)) {
            return; // missing, not a string, or not HTTPS: the schema has named it already
        }
        try {
            Destination destination = DestinationParser.parse(field, node.asText());
            if (seen.add(destination.host() + " " + destination.port() + " " + destination.pathAndQuery())) {
                destinations.add(destination);
            }
        } catch (DestinationParser.InvalidDestination invalid) {
            errors.add(new FieldError(field, invalid.getMessage()));
        }
    }
}
