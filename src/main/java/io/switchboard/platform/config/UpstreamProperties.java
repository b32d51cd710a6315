package io.switchboard.platform.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Retry policy and timeouts shared by every call Switchboard makes to CXone and Genesys ({@code upstream.*}).
 *
 * @param maxAttempts    attempts in all, the first included
 * @param initialDelay   backoff ceiling of the first retry; it doubles per retry (full jitter below the ceiling)
 * @param maxDelay       the ceiling never grows past this
 * @param maxRetryAfter  a Retry-After longer than this is not waited out: the call fails at once
 * @param connectTimeout TCP/TLS connect timeout of each call
 * @param readTimeout    socket read timeout of each call
 */
@Validated
@ConfigurationProperties("upstream")
public record UpstreamProperties(
        @Min(1) int maxAttempts,
        @NotNull Duration initialDelay,
        @NotNull Duration maxDelay,
        @NotNull Duration maxRetryAfter,
        @NotNull Duration connectTimeout,
        @NotNull Duration readTimeout) {
}
