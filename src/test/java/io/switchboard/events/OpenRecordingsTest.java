package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.test.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The H2 horizon (docs/events.md, "Order"): a recording time stays open while its transaction does, whether it then
 * commits or rolls back, and holds {@link OpenRecordings#committedUpTo} back meanwhile.
 */
class OpenRecordingsTest {

    final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T10:00:00Z"));
    final OpenRecordings recordings = new OpenRecordings(clock);
    final TransactionTemplate transactions;

    OpenRecordingsTest() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:open-recordings-" + UUID.randomUUID());
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Test
    void should_hold_the_horizon_at_an_open_recording_until_its_transaction_commits() {
        Instant[] stamped = new Instant[2];
        transactions.executeWithoutResult(status -> {
            stamped[0] = recordings.stamp();
            clock.advance(Duration.ofSeconds(3));
            stamped[1] = recordings.stamp();
            clock.advance(Duration.ofSeconds(3));
            assertThat(recordings.committedUpTo()).isEqualTo(stamped[0]);
        });

        assertThat(recordings.committedUpTo()).isEqualTo(clock.instant());
    }

    @Test
    void should_release_a_recording_whose_transaction_rolls_back() {
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            recordings.stamp();
            clock.advance(Duration.ofSeconds(1));
            throw new IllegalStateException("the database refused the poll");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(recordings.committedUpTo()).isEqualTo(clock.instant());
    }

    @Test
    void should_count_two_recordings_stamped_alike_apart() {
        Instant first = recordings.begin();
        Instant second = recordings.begin();
        recordings.ended(first);
        clock.advance(Duration.ofSeconds(1));

        assertThat(second).isEqualTo(first);
        assertThat(recordings.committedUpTo()).as("one of the two is still open").isEqualTo(first);
        recordings.ended(second);
        assertThat(recordings.committedUpTo()).isEqualTo(clock.instant());
    }

    @Test
    void should_end_a_recording_at_once_outside_a_transaction() {
        recordings.stamp();
        clock.advance(Duration.ofSeconds(1));

        assertThat(recordings.committedUpTo()).isEqualTo(clock.instant());
    }
}
