package io.switchboard.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.test.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The brute-force brake per client address, on a clock the test moves. */
class LoginThrottleTest {

    @Test
    void should_block_an_address_after_the_limit_until_its_minute_is_over() {
        MovableClock clock = new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
        LoginThrottle throttle = new LoginThrottle(3, clock);

        throttle.failed("10.0.0.1");
        clock.advance(Duration.ofSeconds(10));
        throttle.failed("10.0.0.1");
        assertThat(throttle.blockedFor("10.0.0.1")).isEmpty();
        throttle.failed("10.0.0.1");

        assertThat(throttle.blockedFor("10.0.0.1")).hasValue(Duration.ofSeconds(50));
        assertThat(throttle.blockedFor("10.0.0.2")).isEmpty();
        clock.advance(Duration.ofSeconds(50));
        assertThat(throttle.blockedFor("10.0.0.1")).isEmpty();
    }

    @Test
    void should_start_a_new_window_after_a_quiet_minute() {
        MovableClock clock = new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
        LoginThrottle throttle = new LoginThrottle(2, clock);
        throttle.failed("10.0.0.1");
        clock.advance(Duration.ofSeconds(61));
        throttle.failed("10.0.0.1");
        assertThat(throttle.blockedFor("10.0.0.1")).isEmpty();
    }
}
