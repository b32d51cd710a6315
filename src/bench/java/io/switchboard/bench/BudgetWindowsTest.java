package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetWindowsTest {

    static final long SECOND = 1_000_000_000L;

    /** {@code budget} calls at once every {@code every} nanoseconds, {@code rounds} times. */
    static List<Long> rounds(int budget, long every, int rounds) {
        List<Long> arrivals = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < budget; i++) {
                arrivals.add(r * every + i * 1_000_000L);
            }
        }
        return arrivals;
    }

    @Test
    void should_use_the_whole_budget_when_the_rest_follows_one_window_later() {
        BudgetWindows windows = BudgetWindows.of(rounds(10, SECOND + 20_000_000L, 2), 10, SECOND);

        assertThat(windows.largestInAnyWindow()).isEqualTo(10);
        assertThat(windows.paceShare()).isCloseTo(0.97, within(0.01));
    }

    @Test
    void should_see_a_window_that_carries_more_than_the_budget() {
        BudgetWindows windows = BudgetWindows.of(rounds(10, SECOND / 2, 2), 10, SECOND);

        assertThat(windows.largestInAnyWindow()).isEqualTo(20);
    }

    @Test
    void should_see_a_budget_left_unused() {
        BudgetWindows windows = BudgetWindows.of(rounds(10, 2 * SECOND, 2), 10, SECOND);

        assertThat(windows.largestInAnyWindow()).isEqualTo(10);
        assertThat(windows.paceShare()).isLessThan(0.51);
    }
}
