package io.switchboard.subscriptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code GET /api/events/subscriptions}: every subscription Switchboard made, and what it is made of. */
@Component
public class SubscriptionListing {

    private final SubscriptionStore store;
    private final ObjectMapper json;

    public SubscriptionListing(SubscriptionStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    public Map<String, Object> list() {
        List<Map<String, Object>> subscriptions = store.all().stream().map(this::describe).toList();
        return Map.of("subscriptions", subscriptions);
    }

    private Map<String, Object> describe(SubscriptionStore.Stored s) {
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("id", s.connectionId());
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", s.ruleName());
        rule.put("arn", s.ruleArn());
        rule.put("eventBusName", s.eventBusName());
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("id", s.targetId());
        target.put("arn", s.targetArn());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", s.name());
        body.put("platform", s.platform());
        body.put("status", s.status());
        body.put("eventSource", s.eventSource());
        body.put("connection", connection);
        body.put("rule", rule);
        body.put("target", target);
        body.put("updatedAt", s.updatedAt() == null ? null : s.updatedAt().toInstant().toString());
        try {
            body.put("request", json.readTree(s.request()));
        } catch (JsonProcessingException e) {
            body.put("request", null);
        }
        return body;
    }
}
