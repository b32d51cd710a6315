package io.switchboard.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RequestBudget#tryAcquire}: a permit within the wait, or at once the time until the caller's turn. */
class RequestBudgetTurnTest {

    @Test
    void should_tell_a_caller_behind_calls_in_flight_to_come_back_after_a_window() throws Exception {
        try (RequestBudget budget = new RequestBudget("test", 2, Duration.ofSeconds(60))) {
            assertThat(budget.tryAcquire(Duration.ofSeconds(25))).isNull();
            assertThat(budget.tryAcquire(Duration.ofSeconds(25))).isNull();
            assertThat(budget.tryAcquire(Duration.ofSeconds(25))).isEqualTo(Duration.ofSeconds(60));
            assertThat(budget.available()).isZero();
            assertThat(budget.waiting()).as("a refused caller does not queue").isZero();
        }
    }

    @Test
    void should_tell_the_time_until_the_next_permit_returns() throws Exception {
        try (RequestBudget budget = new RequestBudget("test", 1, Duration.ofSeconds(60))) {
            assertThat(budget.tryAcquire(Duration.ofSeconds(25))).isNull();
            budget.release();
            Duration turn = budget.tryAcquire(Duration.ofSeconds(25));
            assertThat(turn).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
        }
    }

    @Test
    void should_wait_for_a_turn_within_max_wait() throws Exception {
        try (RequestBudget budget = new RequestBudget("test", 1, Duration.ofMillis(200))) {
            assertThat(budget.tryAcquire(Duration.ofSeconds(5))).isNull();
            budget.release();
            assertThat(budget.tryAcquire(Duration.ofSeconds(5))).as("served at the budget's pace").isNull();
        }
    }
}
