package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The fence's arithmetic on snapshots; {@code PostgresEventsTest} runs it against a real database. */
class RecordingFenceTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    final RecordingFence fence = new RecordingFence();

    @Test
    void should_pass_a_time_once_every_transaction_older_than_the_next_snapshot_has_ended() {
        fence.advance(snapshot(0, 100, 105)); // 100..104 may still run
        // the time of the first read precedes this snapshot: ids below 110 may have stamped before it; 100 still runs
        assertThat(fence.advance(snapshot(50, 100, 110))).isEqualTo(T0.minusSeconds(5).plusMillis(50));
        assertThat(fence.advance(snapshot(100, 110, 112))).as("all below 110 ended").isEqualTo(T0.plusMillis(0));
        assertThat(fence.advance(snapshot(150, 112, 112))).as("nothing running").isEqualTo(T0.plusMillis(100));
    }

    @Test
    void should_stay_at_most_the_maximum_lag_behind_while_a_transaction_stays_open() {
        for (int ms = 0; ms <= 10_000; ms += 100) {
            assertThat(fence.advance(snapshot(ms, 100, 200 + ms))).isEqualTo(
                    T0.plusMillis(ms).minus(RecordingFence.MAX_LAG));
        }
        assertThat(fence.advance(snapshot(10_100, 20_000, 20_000))).as("ended at last").isEqualTo(T0.plusMillis(10_000));
    }

    static RecordingFence.Snapshot snapshot(long ms, long xmin, long xmax) {
        return new RecordingFence.Snapshot(T0.plusMillis(ms), xmin, xmax);
    }
}
