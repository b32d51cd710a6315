package io.switchboard.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.platform.http.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * One create or update of a routing rule as it goes through the workflow, kept in an exchange
 * property: the rule as sent, the problems found so far, the update's ETag rounds and the result.
 */
public final class RuleChange {

    public static final String PROPERTY = "SwitchboardRoutingRuleChange";

    public enum Kind {
        CREATE("rule.create"), UPDATE("rule.update");

        final String auditAction;

        Kind(String auditAction) {
            this.auditAction = auditAction;
        }
    }

    final Kind kind;
    /** The rule's id: from the path for an update; CXone's answer for a create. */
    String ruleId;
    final long startedNanos = System.nanoTime();
    /** The request body as received, for the audit record whatever its shape. */
    final String requestBody;
    /** The body as sent by the operator, once it is known to be a JSON object. */
    ObjectNode rule;
    final List<FieldError> errors = new ArrayList<>();

    /** Fallback rules fetched while checking for a cycle, in chain order. */
    final List<String> fallbackChain = new ArrayList<>();

    /** Update: GET-then-PUT rounds started, the ETag each round sent as If-Match, and the outcome. */
    int rounds;
    final List<String> etagsSent = new ArrayList<>();
    boolean conflict;
    boolean applied;

    /** What CXone stored (its answer) and the ETag it gave the new version, if any. */
    JsonNode stored;
    String storedEtag;

    RuleChange(Kind kind, String ruleId, String requestBody) {
        this.kind = kind;
        this.ruleId = ruleId;
        this.requestBody = requestBody;
    }

    static RuleChange of(Exchange exchange) {
        RuleChange change = exchange.getProperty(PROPERTY, RuleChange.class);
        if (change == null) {
            throw new IllegalStateException("no routing rule change on this exchange");
        }
        return change;
    }

    String lastEtag() {
        return etagsSent.isEmpty() ? null : etagsSent.get(etagsSent.size() - 1);
    }

    long elapsedMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
