package io.switchboard.platform.upstream;

import io.switchboard.platform.config.UpstreamProperties;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and how long to wait before another attempt at an upstream call ({@code upstream.*}).
 *
 * <ul>
 *   <li>429 and 5xx answers and I/O errors are retried, up to {@code max-attempts} attempts in all;</li>
 *   <li>a Retry-After (seconds or HTTP date) is waited out exactly, unless it is longer than
 *       {@code max-retry-after}: then the call fails at once;</li>
 *   <li>otherwise the wait is exponential backoff with full jitter: uniformly random below
 *       {@code min(max-delay, initial-delay × 2^(retry-1))}.</li>
 * </ul>
 * Used by {@link #retrying}, the attempt loop of {@link UpstreamCall}; the reasons are in docs/decisions/0003-retry-after-beats-backoff.md.
 */
public class UpstreamRetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRetryPolicy.class);

    private final UpstreamProperties properties;
    private final Clock clock;

    public UpstreamRetryPolicy(UpstreamProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** One try at some upstream work: an HTTP call, a token fetch. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code attempt} until it succeeds, fails for good, or {@code maxAttempts} attempts are used,
     * waiting between attempts as {@link #delayBefore} says. The last failure is thrown as it is.
     */
    public <T> T retrying(int maxAttempts, Attempt<T> attempt) throws Exception {
        for (int attempts = 1; ; attempts++) {
            try {
                return attempt.run();
            } catch (UpstreamException | IOException failure) {
                if (!shouldRetry(failure, attempts, maxAttempts)) {
                    throw failure;
                }
                Duration wait = delayBefore(attempts, retryAfterOf(failure));
                LOG.info("Upstream call failed ({}); attempt {} in {} ms", summary(failure), attempts + 1, wait.toMillis());
                TimeUnit.MILLISECONDS.sleep(wait.toMillis());
            }
        }
    }

    /** Attempts in all when the caller does not say otherwise ({@code upstream.max-attempts}). */
    public int maxAttempts() {
        return properties.maxAttempts();
    }

    /** The longest Retry-After that is waited out ({@code upstream.max-retry-after}). */
    public Duration maxRetryAfter() {
        return properties.maxRetryAfter();
    }

    /** Is another attempt allowed after {@code attempts} attempts, the last of which failed with {@code failure}? */
    public boolean shouldRetry(Throwable failure, int attempts, int maxAttempts) {
        if (!isRetryable(failure) || attempts >= maxAttempts) {
            return false;
        }
        Duration retryAfter = retryAfterOf(failure);
        if (!waitsOut(retryAfter)) {
            LOG.warn("{} asked to retry after {} s, longer than upstream.max-retry-after ({} s): not waiting",
                    ((UpstreamException) failure).platform(), retryAfter.toSeconds(), properties.maxRetryAfter().toSeconds());
            return false;
        }
        return true;
    }

    /** Is this Retry-After (null: none) short enough to be waited out? */
    public boolean waitsOut(Duration retryAfter) {
        return retryAfter == null || retryAfter.compareTo(properties.maxRetryAfter()) <= 0;
    }

    /** The wait before redelivery number {@code redelivery} (1 = the second attempt). */
    public Duration delayBefore(int redelivery, Duration retryAfter) {
        if (retryAfter != null && waitsOut(retryAfter)) {
            return retryAfter;
        }
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling(redelivery).toMillis() + 1));
    }

    /** Backoff ceiling of a redelivery: initial × 2^(n-1), capped at max-delay. */
    public Duration ceiling(int redelivery) {
        long initial = properties.initialDelay().toMillis();
        long max = properties.maxDelay().toMillis();
        int shift = Math.min(Math.max(0, redelivery - 1), 30);
        long ceiling = initial << shift;
        return Duration.ofMillis(ceiling <= 0 || ceiling > max ? max : ceiling);
    }

    /** 429, 5xx and I/O errors are worth another attempt; every other failure is final. */
    public static boolean isRetryable(Throwable failure) {
        if (failure instanceof UpstreamException upstream) {
            return upstream.isRetryable();
        }
        return failure instanceof IOException;
    }

    /** The Retry-After an upstream failure carries, or null. */
    public static Duration retryAfterOf(Throwable failure) {
        return failure instanceof UpstreamException upstream ? upstream.retryAfter() : null;
    }

    private static String summary(Throwable failure) {
        if (failure instanceof UpstreamException upstream) {
            return upstream.platform() + " answered " + upstream.status();
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    /** Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
    public static Duration parseRetryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), when.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
