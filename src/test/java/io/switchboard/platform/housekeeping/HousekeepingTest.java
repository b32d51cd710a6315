package io.switchboard.platform.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.test.IntegrationTestBase;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The housekeeping route deletes audit items past P90D and dead letters past P30D, and nothing younger. */
class HousekeepingTest extends IntegrationTestBase {

    @Autowired
    JdbcClient jdbc;

    private void audit(String target, Duration age) {
        jdbc.sql("INSERT INTO audit_log (occurred_at, workflow, action, target_id, operator, outcome)"
                        + " VALUES (:at, 'email', 'retention.test', :target, 'tester', 'success')")
                .param("at", OffsetDateTime.ofInstant(Instant.now().minus(age), ZoneOffset.UTC))
                .param("target", target).update();
    }

    private void deadLetter(String id, Duration age) {
        jdbc.sql("INSERT INTO dead_letters (id, source, reason, attempts, created_at)"
                        + " VALUES (:id, 'retention-test', 'test', 1, :at)")
                .param("at", OffsetDateTime.ofInstant(Instant.now().minus(age), ZoneOffset.UTC))
                .param("id", id).update();
    }

    @Test
    void should_delete_audit_items_and_dead_letters_past_their_retention() {
        audit("audit-91-days", Duration.ofDays(91));
        audit("audit-89-days", Duration.ofDays(89));
        String oldLetter = UUID.randomUUID().toString();
        String youngLetter = UUID.randomUUID().toString();
        deadLetter(oldLetter, Duration.ofDays(31));
        deadLetter(youngLetter, Duration.ofDays(29));

        Map<?, ?> deleted = producer.requestBody("direct:housekeeping", null, Map.class);

        assertThat(((Number) deleted.get("auditItems")).intValue()).isGreaterThanOrEqualTo(1);
        assertThat(((Number) deleted.get("deadLetters")).intValue()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("SELECT target_id FROM audit_log WHERE action = 'retention.test'").query(String.class).list())
                .containsExactly("audit-89-days");
        assertThat(jdbc.sql("SELECT id FROM dead_letters WHERE source = 'retention-test'").query(String.class).list())
                .containsExactly(youngLetter);
        assertThat(camel.getRoute("housekeeping-timer").getEndpoint().getEndpointUri())
                .startsWith("timer://switchboard-housekeeping");
    }
}
