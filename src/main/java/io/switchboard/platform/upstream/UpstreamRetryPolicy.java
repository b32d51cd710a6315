package io.switchboard.platform.upstream;

import io.switchboard.platform.config.UpstreamProperties;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
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
 * Used by the {@code upstream-retry} route configuration as its {@code retryWhile} predicate and its
 * {@code onExceptionOccurred} processor, which sets the {@code CamelRedeliveryDelay} header that
 * Camel's error handler reads before it waits.
 */
public class UpstreamRetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRetryPolicy.class);

    private final UpstreamProperties properties;
    private final Clock clock;

    public UpstreamRetryPolicy(UpstreamProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** retryWhile: is another attempt allowed after the failure now on the exchange? */
    public boolean shouldRetry(Exchange exchange) {
        Throwable failure = failure(exchange);
        int redelivery = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        int maxAttempts = exchange.getProperty(Upstream.MAX_ATTEMPTS, properties.maxAttempts(), Integer.class);
        if (!isRetryable(failure) || redelivery >= maxAttempts) {
            return false;
        }
        if (failure instanceof UpstreamException upstream && upstream.retryAfter() != null
                && upstream.retryAfter().compareTo(properties.maxRetryAfter()) > 0) {
            LOG.warn("{} asked to retry after {} s, longer than upstream.max-retry-after ({} s): not waiting",
                    upstream.platform(), upstream.retryAfter().toSeconds(), properties.maxRetryAfter().toSeconds());
            return false;
        }
        return true;
    }

    /** onExceptionOccurred: choose the wait before the next attempt. */
    public void chooseDelay(Exchange exchange) {
        if (!shouldRetry(exchange)) {
            return;
        }
        Throwable failure = failure(exchange);
        int redelivery = Math.max(1, exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class));
        Duration delay = delayBefore(redelivery, failure instanceof UpstreamException u ? u.retryAfter() : null);
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
        LOG.info("Upstream call failed ({}); attempt {} in {} ms", summary(failure), redelivery + 1, delay.toMillis());
    }

    /** The wait before redelivery number {@code redelivery} (1 = the second attempt). */
    public Duration delayBefore(int redelivery, Duration retryAfter) {
        if (retryAfter != null && retryAfter.compareTo(properties.maxRetryAfter()) <= 0) {
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

    public static boolean isRetryable(Throwable failure) {
        if (failure instanceof UpstreamException upstream) {
            return upstream.isRetryable();
        }
        return failure instanceof IOException;
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

    private static Throwable failure(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static String summary(Throwable failure) {
        if (failure instanceof UpstreamException upstream) {
            return upstream.platform() + " answered " + upstream.status();
        }
        return failure == null ? "unknown" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
