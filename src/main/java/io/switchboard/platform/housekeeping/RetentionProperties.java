package io.switchboard.platform.housekeeping;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How long the audit log and the dead letters are kept, and how often older rows are deleted.
 *
 * @param audit        {@code switchboard.audit.retention}: audit items older than this are deleted (default P90D)
 * @param deadLetters  {@code switchboard.dead-letters.retention}: dead letters older than this are deleted
 *                     (default P30D)
 * @param housekeeping {@code switchboard.housekeeping.period}: how often the housekeeping route runs (default PT1H)
 */
@Validated
@ConfigurationProperties("switchboard")
public record RetentionProperties(Retention audit, Retention deadLetters, Housekeeping housekeeping) {

    public RetentionProperties {
        audit = audit == null || audit.retention() == null ? new Retention(Duration.ofDays(90)) : audit;
        deadLetters = deadLetters == null || deadLetters.retention() == null
                ? new Retention(Duration.ofDays(30)) : deadLetters;
        housekeeping = housekeeping == null || housekeeping.period() == null
                ? new Housekeeping(Duration.ofHours(1)) : housekeeping;
    }

    /** @param retention rows older than this are deleted */
    public record Retention(Duration retention) {
    }

    /** @param period time between two runs of the housekeeping route */
    public record Housekeeping(Duration period) {
    }
}
