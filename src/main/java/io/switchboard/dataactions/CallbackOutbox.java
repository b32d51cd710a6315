package io.switchboard.dataactions;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The durable queue of {@code data_action.created} callbacks (table {@code data_action_callbacks}): written with
 * the create's audit record, read by the delivery route, deleted once delivered or dead-lettered. An instance
 * claims a row for {@code data-actions.callback.claim-timeout}; a claim that outlives its instance expires and
 * another poll (of any instance) claims the row again.
 */
@Component
public class CallbackOutbox {

    /** One callback waiting: its row id, the correlation id it carries as a header, and the event JSON. */
    public record Pending(long id, String correlationId, String body) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final DataActionsProperties properties;

    public CallbackOutbox(JdbcClient jdbc, Clock clock, DataActionsProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    /** Record a callback to send (in the caller's transaction). */
    public void add(String correlationId, String body) {
        jdbc.sql("INSERT INTO data_action_callbacks (correlation_id, body, created_at) VALUES (:cid, :body, :at)")
                .param("cid", correlationId).param("body", body).param("at", now()).update();
    }

    /** Claim up to {@code limit} callbacks nobody is delivering (oldest first); each row goes to one instance only. */
    public List<Pending> claimDue(int limit) {
        OffsetDateTime now = now();
        List<Pending> due = jdbc.sql("""
                SELECT id, correlation_id, body FROM data_action_callbacks
                 WHERE claimed_until IS NULL OR claimed_until < :now ORDER BY id""")
                .param("now", now).query(Pending.class).list();
        List<Pending> claimed = new ArrayList<>();
        OffsetDateTime until = now.plus(properties.callback().claimTimeout());
        for (Pending pending : due) {
            if (claimed.size() >= limit) {
                break;
            }
            int won = jdbc.sql("""
                    UPDATE data_action_callbacks SET claimed_until = :until
                     WHERE id = :id AND (claimed_until IS NULL OR claimed_until < :now)""")
                    .param("until", until).param("id", pending.id()).param("now", now).update();
            if (won == 1) {
                claimed.add(pending);
            }
        }
        return claimed;
    }

    /** The callback was delivered, or handed to the dead-letter store: it leaves the outbox. */
    public void remove(Long id) {
        if (id != null) {
            jdbc.sql("DELETE FROM data_action_callbacks WHERE id = :id").param("id", id).update();
        }
    }

    /** Callbacks waiting or being delivered (a gauge, and what tests look at). */
    public long size() {
        return jdbc.sql("SELECT COUNT(*) FROM data_action_callbacks").query(Long.class).single();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
