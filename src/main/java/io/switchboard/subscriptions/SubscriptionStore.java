package io.switchboard.subscriptions;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The subscriptions Switchboard made (table {@code event_subscriptions}): what a DELETE removes, what GET lists. */
@Component
public class SubscriptionStore {

    /** One subscription and the upstream resources it is made of. */
    public record Stored(String name, String platform, String connectionId, String eventSource, String eventBusName,
                         String ruleName, String ruleArn, String targetId, String targetArn, String request,
                         String status, OffsetDateTime updatedAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public SubscriptionStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<Stored> find(String name) {
        return jdbc.sql("SELECT * FROM event_subscriptions WHERE name = :name").param("name", name)
                .query(Stored.class).optional();
    }

    public List<Stored> all() {
        return jdbc.sql("SELECT * FROM event_subscriptions ORDER BY name").query(Stored.class).list();
    }

    /** Insert or replace the subscription's row. */
    public void save(Stored s) {
        int updated = jdbc.sql("""
                UPDATE event_subscriptions SET platform = :platform, connection_id = :connection, event_source = :source,
                       event_bus_name = :bus, rule_name = :rule, rule_arn = :ruleArn, target_id = :targetId,
                       target_arn = :targetArn, request = :request, status = :status, updated_at = :at
                 WHERE name = :name""")
                .params(params(s)).update();
        if (updated == 0) {
            jdbc.sql("""
                    INSERT INTO event_subscriptions (name, platform, connection_id, event_source, event_bus_name,
                           rule_name, rule_arn, target_id, target_arn, request, status, updated_at)
                    VALUES (:name, :platform, :connection, :source, :bus, :rule, :ruleArn, :targetId, :targetArn,
                            :request, :status, :at)""")
                    .params(params(s)).update();
        }
    }

    public void delete(String name) {
        jdbc.sql("DELETE FROM event_subscriptions WHERE name = :name").param("name", name).update();
    }

    private java.util.Map<String, Object> params(Stored s) {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("name", s.name());
        p.put("platform", s.platform());
        p.put("connection", s.connectionId());
        p.put("source", s.eventSource());
        p.put("bus", s.eventBusName());
        p.put("rule", s.ruleName());
        p.put("ruleArn", s.ruleArn());
        p.put("targetId", s.targetId());
        p.put("targetArn", s.targetArn());
        p.put("request", s.request());
        p.put("status", s.status());
        p.put("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
        return p;
    }
}
