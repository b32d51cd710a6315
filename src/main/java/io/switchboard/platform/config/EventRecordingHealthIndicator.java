package io.switchboard.platform.config;

import javax.sql.DataSource;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Readiness while the database takes writes (health contributor {@code eventRecording}, in the readiness group).
 * The events pipeline deletes an SQS message only once its event is recorded: while the database is down or
 * refuses writes, the messages stay on the queue and this reports DOWN, so the instance is taken out of service
 * without losing anything; it reports UP again as soon as a write goes through
 * (docs/decisions/0052-database-works-or-is-refused.md).
 */
@Component("eventRecording")
public class EventRecordingHealthIndicator extends AbstractHealthIndicator {

    /** A write that changes nothing, on the table every Switchboard database has (Flyway's history). */
    static final String PROBE = "UPDATE flyway_schema_history SET success = success WHERE installed_rank < 0";

    private final JdbcTemplate jdbc;

    public EventRecordingHealthIndicator(DataSource dataSource) {
        super("The database does not take writes: events stay on the queue until it does");
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(2);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        jdbc.update(PROBE);
        builder.up().withDetail("database", "takes writes");
    }
}
