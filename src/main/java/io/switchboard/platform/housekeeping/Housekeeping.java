package io.switchboard.platform.housekeeping;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.deadletter.DeadLetters;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Applies the retention settings: deletes audit items older than {@code switchboard.audit.retention} and
 * dead letters older than {@code switchboard.dead-letters.retention}. Idempotent, so several instances
 * running it at once do no harm.
 */
@Component
@EnableConfigurationProperties(RetentionProperties.class)
public class Housekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final AuditLog audit;
    private final DeadLetters deadLetters;
    private final RetentionProperties retention;
    private final Clock clock;

    public Housekeeping(AuditLog audit, DeadLetters deadLetters, RetentionProperties retention, Clock clock) {
        this.audit = audit;
        this.deadLetters = deadLetters;
        this.retention = retention;
        this.clock = clock;
    }

    /** Route step: delete what is past its retention; answers how many of each. */
    public Map<String, Integer> purge() {
        Instant now = clock.instant();
        int auditItems = audit.deleteOlderThan(now.minus(retention.audit().retention()));
        int letters = deadLetters.deleteOlderThan(now.minus(retention.deadLetters().retention()));
        if (auditItems > 0 || letters > 0) {
            LOG.info("Housekeeping deleted {} audit item(s) older than {} and {} dead letter(s) older than {}",
                    auditItems, retention.audit().retention(), letters, retention.deadLetters().retention());
        }
        Map<String, Integer> deleted = new LinkedHashMap<>();
        deleted.put("auditItems", auditItems);
        deleted.put("deadLetters", letters);
        return deleted;
    }
}
