package io.switchboard.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.json.JsonAnswers;
import io.switchboard.platform.upstream.Upstream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * The beginning and the end of a rule create or update: starts the {@link RuleChange}, gives the
 * upstream steps the rule to send and its path, reads CXone's answer and writes Switchboard's.
 */
@Component
public class RuleChanges {

    /** CXone's interaction routing rules API (docs/architecture.md#routing-rules). */
    public static final String RULES_PATH = "/api/v2/routing/interactionroutingrules";

    /**
     * What Switchboard accepts as a rule id, in the path and as fallbackRuleId: URL-safe characters
     * only, so an id can never change the upstream path it is put into.
     */
    static final Pattern RULE_ID = Pattern.compile("^(?!\\.{1,2}$)[A-Za-z0-9_.:~-]{1,128}$");

    private final ObjectMapper json;

    public RuleChanges(ObjectMapper json) {
        this.json = json;
    }

    public void beginCreate(Exchange exchange, @Body String body) {
        exchange.setProperty(RuleChange.PROPERTY, new RuleChange(RuleChange.Kind.CREATE, null, body));
    }

    /** The rule id comes from the path; {@link RuleValidation} checks it with the body. */
    public void beginUpdate(Exchange exchange, @Header("id") String id, @Body String body) {
        exchange.setProperty(RuleChange.PROPERTY, new RuleChange(RuleChange.Kind.UPDATE, id, body));
    }

    /** Upstream path of the rule being updated. */
    public String rulePath(Exchange exchange) {
        return rulePath(RuleChange.of(exchange).ruleId);
    }

    static String rulePath(String ruleId) {
        return RULES_PATH + "/" + ruleId;
    }

    /** The rule as CXone gets it: the operator's JSON, with the path's id on an update. */
    public ObjectNode ruleToSend(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        ObjectNode rule = change.rule.deepCopy();
        if (change.kind == RuleChange.Kind.UPDATE) {
            rule.put("id", change.ruleId);
        }
        return rule;
    }

    /** CXone answered the create: its body is the stored rule, with the id CXone gave it. */
    public void created(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        change.stored = JsonAnswers.upstreamOrNull(json, exchange.getIn(), "the routing rule create");
        change.storedEtag = responseHeader(exchange, "ETag");
        String id = change.stored == null ? null : change.stored.path("id").asText(null);
        if (id == null || id.isBlank()) {
            id = lastSegment(responseHeader(exchange, "Location"));
        }
        if (id == null || id.isBlank()) {
            throw ProblemException.badGateway("CXone created the routing rule but answered without its id");
        }
        change.ruleId = id;
        change.applied = true;
    }

    /** The API answer: the rule's id, the ETag of the stored version, the rule as CXone stored it. */
    public Map<String, Object> answer(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", change.ruleId);
        if (change.storedEtag != null) {
            answer.put("etag", change.storedEtag);
        }
        if (change.kind == RuleChange.Kind.UPDATE) {
            answer.put("attempts", change.rounds);
        }
        answer.put("rule", change.stored != null ? change.stored : ruleToSend(exchange));
        return answer;
    }

    @SuppressWarnings("unchecked")
    static String responseHeader(Exchange exchange, String name) {
        Map<String, String> headers = exchange.getIn().getHeader(Upstream.RESPONSE_HEADERS, Map.class);
        return headers == null ? null : headers.get(name);
    }

    private static String lastSegment(String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        String path = location.replaceAll("[?#].*$", "").replaceAll("/+$", "");
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
