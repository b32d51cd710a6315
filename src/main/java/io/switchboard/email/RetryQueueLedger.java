package io.switchboard.email;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The idempotent repository behind "each failed delivery goes onto the retry queue once": a table of
 * messageIds ({@code email_retry_queued}), shared by every instance and kept across restarts.
 *
 * <p>Used by Camel's {@code idempotentConsumer} (eager, completion-eager): {@link #add} claims the
 * messageId atomically (primary key) before the SQS send, {@link #confirm} marks it queued right after,
 * {@link #remove} gives the claim back when the send failed so the next poll tries again. A claim whose
 * instance died before confirming is taken over after {@link #CLAIM_TIMEOUT}; only a crash between the
 * SQS send and the confirm can queue a messageId twice.
 */
@Component
public class RetryQueueLedger extends ServiceSupport implements IdempotentRepository {

    static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(5);
    private static final String CLAIMED = "claimed";
    private static final String QUEUED = "queued";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Counter duplicates;

    public RetryQueueLedger(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.duplicates = Counter.builder("switchboard.email.retry.duplicates")
                .description("Failed deliveries seen again in a poll and not queued a second time").register(meters);
    }

    @Override
    public boolean add(String messageId) {
        OffsetDateTime now = now();
        try {
            jdbc.sql("INSERT INTO email_retry_queued (message_id, state, claimed_at) VALUES (:id, :state, :now)")
                    .param("id", messageId).param("state", CLAIMED).param("now", now).update();
            return true;
        } catch (DuplicateKeyException known) {
            int takenOver = jdbc.sql("""
                    UPDATE email_retry_queued SET claimed_at = :now
                    WHERE message_id = :id AND state = :claimed AND claimed_at < :stale""")
                    .param("now", now).param("id", messageId).param("claimed", CLAIMED)
                    .param("stale", now.minus(CLAIM_TIMEOUT)).update();
            if (takenOver == 0) {
                duplicates.increment();
            }
            return takenOver == 1;
        }
    }

    @Override
    public boolean contains(String messageId) {
        return jdbc.sql("SELECT COUNT(*) FROM email_retry_queued WHERE message_id = :id")
                .param("id", messageId).query(Long.class).single() > 0;
    }

    @Override
    public boolean remove(String messageId) {
        return jdbc.sql("DELETE FROM email_retry_queued WHERE message_id = :id AND state = :claimed")
                .param("id", messageId).param("claimed", CLAIMED).update() > 0;
    }

    @Override
    public boolean confirm(String messageId) {
        return jdbc.sql("UPDATE email_retry_queued SET state = :queued, queued_at = :now WHERE message_id = :id")
                .param("queued", QUEUED).param("now", now()).param("id", messageId).update() > 0;
    }

    @Override
    public void clear() {
        jdbc.sql("DELETE FROM email_retry_queued").update();
    }

    /** Forgets messageIds queued before {@code cutoff} (email.retry.dedup-retention); returns how many. */
    public int forgetQueuedBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM email_retry_queued WHERE state = :queued AND queued_at < :cutoff")
                .param("queued", QUEUED).param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)).update();
    }

    /** Whether a messageId is recorded as queued (tests and operators). */
    public boolean isQueued(String messageId) {
        return jdbc.sql("SELECT COUNT(*) FROM email_retry_queued WHERE message_id = :id AND state = :queued")
                .param("id", messageId).param("queued", QUEUED).query(Long.class).single() > 0;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
