package io.switchboard.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.platform.config.UpstreamProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Backoff arithmetic of {@code upstream.*}: full jitter under a doubling ceiling capped at max-delay. */
class UpstreamRetryPolicyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-31T12:00:00Z"), ZoneOffset.UTC);

    private final UpstreamRetryPolicy policy = new UpstreamRetryPolicy(new UpstreamProperties(4,
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(180),
            Duration.ofSeconds(5), Duration.ofSeconds(30)), CLOCK);

    @Test
    void should_double_the_ceiling_per_retry_up_to_max_delay() {
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.ceiling(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.ceiling(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.ceiling(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.ceiling(60)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void should_draw_every_delay_below_its_ceiling_and_spread_them() {
        for (int redelivery = 1; redelivery <= 10; redelivery++) {
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2000; i++) {
                long delay = policy.delayBefore(redelivery, null).toMillis();
                assertThat(delay).isBetween(0L, policy.ceiling(redelivery).toMillis());
                min = Math.min(min, delay);
                max = Math.max(max, delay);
            }
            // full jitter: the draws cover most of [0, ceiling]
            assertThat(min).isLessThan(policy.ceiling(redelivery).toMillis() / 4);
            assertThat(max).isGreaterThan(policy.ceiling(redelivery).toMillis() * 3 / 4);
        }
    }

    @Test
    void should_take_retry_after_as_given_when_within_the_limit() {
        assertThat(policy.delayBefore(1, Duration.ofSeconds(45))).isEqualTo(Duration.ofSeconds(45));
        assertThat(policy.delayBefore(1, Duration.ofSeconds(181))).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void should_read_retry_after_as_seconds_or_http_date() {
        assertThat(UpstreamRetryPolicy.parseRetryAfter("120", CLOCK)).isEqualTo(Duration.ofSeconds(120));
        assertThat(UpstreamRetryPolicy.parseRetryAfter("Sat, 31 Jan 2026 12:00:30 GMT", CLOCK))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(UpstreamRetryPolicy.parseRetryAfter("Sat, 31 Jan 2026 11:00:00 GMT", CLOCK)).isEqualTo(Duration.ZERO);
        assertThat(UpstreamRetryPolicy.parseRetryAfter("soon", CLOCK)).isNull();
        assertThat(UpstreamRetryPolicy.parseRetryAfter(null, CLOCK)).isNull();
    }

    @Test
    void should_retry_429_5xx_and_io_errors_only() {
        assertThat(UpstreamRetryPolicy.isRetryable(failure(429))).isTrue();
        assertThat(UpstreamRetryPolicy.isRetryable(failure(500))).isTrue();
        assertThat(UpstreamRetryPolicy.isRetryable(failure(503))).isTrue();
        assertThat(UpstreamRetryPolicy.isRetryable(new java.net.SocketTimeoutException("read timed out"))).isTrue();
        for (int status : new int[] {400, 401, 403, 404, 409, 412, 422}) {
            assertThat(UpstreamRetryPolicy.isRetryable(failure(status))).as("status %d", status).isFalse();
        }
    }

    private static UpstreamException failure(int status) {
        return new UpstreamException("CXone", status, "CXone answered " + status, null, null, null);
    }
}
