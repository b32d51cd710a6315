package io.switchboard.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Validation of a routing rule, collected so the operator gets every problem in one 400 answer:
 * the JSON Schema's findings ({@code config/schemas/routing-rule.json}: name, operators from the
 * list in docs/api.md#routing-rules, condition fields, target type/id/weight 0–100), then the rules a schema cannot
 * state — at most {@code routing.max-conditions} conditions, weights summing to 100, the id rules of
 * create and update, fallback not itself — and finally what {@link FallbackChainWalk} finds.
 */
@Component
public class RuleValidation {

    private final RoutingProperties properties;
    private final Problems problems;
    private final ObjectMapper json;

    public RuleValidation(RoutingProperties properties, Problems problems, ObjectMapper json) {
        this.properties = properties;
        this.problems = problems;
        this.json = json;
    }

    /** doCatch of the schema step: keep the schema's findings; a body that is not JSON is answered at once. */
    public void schemaViolations(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemException problem = problems.toProblem(caught);
        if (problem.status() != 400 || problem.errors().isEmpty()) {
            throw problem;
        }
        RuleChange.of(exchange).errors.addAll(problem.errors());
    }

    /** The rules the schema cannot state. Checks only what is well-typed; the schema has named the rest. */
    public void checkRules(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        if (change.kind == RuleChange.Kind.UPDATE && !isRuleId(change.ruleId)) {
            change.errors.add(0, new FieldError("id", "the rule id in the path must be 1 to 128 of the characters"
                    + " A-Z a-z 0-9 _ . : ~ - (got '" + change.ruleId + "')"));
        }
        JsonNode body = readBody(exchange);
        if (!(body instanceof ObjectNode rule)) {
            return;
        }
        change.rule = rule;
        checkId(change, rule.path("id"));
        checkConditionCount(change, rule.path("conditions"));
        checkWeightSum(change, rule.path("targets"));
        String fallback = rule.path("fallbackRuleId").asText(null);
        if (fallback != null && fallback.equals(change.ruleId)) {
            change.errors.add(new FieldError("fallbackRuleId",
                    "a rule cannot fall back to itself ('" + fallback + "')"));
        }
    }

    /** Everything found, the fallback chain's problems included, in one 400 answer. */
    public void verdict(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        if (!change.errors.isEmpty()) {
            throw ProblemException.validation(change.errors);
        }
    }

    private void checkId(RuleChange change, JsonNode id) {
        if (id.isMissingNode() || id.isNull()) {
            return;
        }
        if (change.kind == RuleChange.Kind.CREATE) {
            change.errors.add(new FieldError("id",
                    "is assigned by CXone on create; to change an existing rule use PUT /api/routing/rules/{id}"));
        } else if (id.isTextual() && !id.asText().equals(change.ruleId)) {
            change.errors.add(new FieldError("id",
                    "must be the rule id of the path ('" + change.ruleId + "'), or left out"));
        }
    }

    private void checkConditionCount(RuleChange change, JsonNode conditions) {
        if (conditions.isArray() && conditions.size() > properties.maxConditions()) {
            change.errors.add(new FieldError("conditions", "at most " + properties.maxConditions()
                    + " conditions are allowed (routing.max-conditions), got " + conditions.size()));
        }
    }

    private void checkWeightSum(RuleChange change, JsonNode targets) {
        if (!targets.isArray() || targets.isEmpty()) {
            return;
        }
        long sum = 0;
        for (JsonNode target : targets) {
            JsonNode weight = target.path("weight");
            if (!weight.canConvertToLong() || !weight.isIntegralNumber()) {
                return; // the schema has named this target's weight already
            }
            sum += weight.asLong();
        }
        if (sum != 100) {
            change.errors.add(new FieldError("targets", "target weights must sum to 100, got " + sum));
        }
    }

    static boolean isRuleId(String id) {
        return id != null && RuleChanges.RULE_ID.matcher(id).matches();
    }

    private JsonNode readBody(Exchange exchange) {
        String body = exchange.getIn().getBody(String.class);
        try {
            return body == null ? null : json.readTree(body);
        } catch (IOException e) {
            return null; // not reached: the schema step answers malformed JSON
        }
    }
}
