package io.switchboard.subscriptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The SQS queue policy statement that lets one EventBridge rule send to the queue: {@code events.amazonaws.com}
 * may {@code sqs:SendMessage} on the queue when {@code aws:SourceArn} is the rule's ARN. It is merged into the
 * queue's existing policy, never replacing it: every other statement stays as it was.
 */
final class QueuePolicy {

    static final String SERVICE = "events.amazonaws.com";

    private final ObjectMapper json;

    QueuePolicy(ObjectMapper json) {
        this.json = json;
    }

    /** Statement id of the grant for one rule (letters and digits only, as IAM wants). */
    static String sid(String ruleName) {
        return "SwitchboardEventBridge" + ruleName.replaceAll("[^A-Za-z0-9]", "");
    }

    ObjectNode statement(String queueArn, String ruleName, String ruleArn) {
        ObjectNode statement = json.createObjectNode();
        statement.put("Sid", sid(ruleName));
        statement.put("Effect", "Allow");
        statement.putObject("Principal").put("Service", SERVICE);
        statement.put("Action", "sqs:SendMessage");
        statement.put("Resource", queueArn);
        statement.putObject("Condition").putObject("ArnEquals").put("aws:SourceArn", ruleArn);
        return statement;
    }

    /**
     * The queue's policy with the rule's grant added, or empty when the policy already grants it (under our
     * statement id or any other). A statement of ours for the same rule that differs is replaced in place.
     */
    Optional<String> merged(String existingPolicy, String queueArn, String ruleName, String ruleArn) {
        ObjectNode wanted = statement(queueArn, ruleName, ruleArn);
        ObjectNode policy;
        if (existingPolicy == null || existingPolicy.isBlank()) {
            policy = json.createObjectNode();
            policy.put("Version", "2012-10-17");
        } else {
            policy = (ObjectNode) read(existingPolicy);
        }
        ArrayNode statements = json.createArrayNode();
        JsonNode current = policy.path("Statement");
        if (current.isArray()) {
            statements.addAll((ArrayNode) current);
        } else if (current.isObject()) {
            statements.add(current);
        }
        int ours = -1;
        for (int i = 0; i < statements.size(); i++) {
            JsonNode statement = statements.get(i);
            if (grants(statement, queueArn, ruleArn)) {
                return Optional.empty();
            }
            if (wanted.get("Sid").equals(statement.get("Sid"))) {
                ours = i;
            }
        }
        if (ours >= 0) {
            statements.set(ours, wanted);
        } else {
            statements.add(wanted);
        }
        policy.set("Statement", statements);
        try {
            return Optional.of(json.writeValueAsString(policy));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Does this statement already allow EventBridge to send this rule's events to the queue? */
    static boolean grants(JsonNode statement, String queueArn, String ruleArn) {
        if (!"Allow".equals(statement.path("Effect").asText())) {
            return false;
        }
        if (!contains(statement.path("Principal").path("Service"), SERVICE)) {
            return false;
        }
        JsonNode action = statement.path("Action");
        if (!(contains(action, "sqs:SendMessage") || contains(action, "sqs:*") || contains(action, "*"))) {
            return false;
        }
        if (!(contains(statement.path("Resource"), queueArn) || contains(statement.path("Resource"), "*"))) {
            return false;
        }
        JsonNode condition = statement.path("Condition");
        for (String operator : new String[] {"ArnEquals", "ArnLike", "StringEquals"}) {
            if (contains(condition.path(operator).path("aws:SourceArn"), ruleArn)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode node, String value) {
        if (node.isTextual()) {
            return node.asText().equals(value);
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.asText().equals(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private JsonNode read(String text) {
        try {
            JsonNode node = json.readTree(text);
            if (!node.isObject()) {
                throw new IllegalStateException("the queue's Policy attribute is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the queue's Policy attribute is not valid JSON", e);
        }
    }
}
