package io.switchboard.dataactions;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Data Actions workflow ({@code data-actions.*}).
 *
 * @param webhookUrl where {@code data_action.created} callbacks are POSTed; blank = no callbacks
 * @param callback   how hard a callback is tried before it becomes a dead letter
 */
@Validated
@ConfigurationProperties("data-actions")
public record DataActionsProperties(
        @Pattern(regexp = "^$|^https?://\\S+$", message = "must be an http:// or https:// URL, or empty")
        String webhookUrl,
        @Valid Callback callback) {

    public DataActionsProperties {
        webhookUrl = webhookUrl == null ? "" : webhookUrl.trim();
        if (callback == null) {
            callback = new Callback(5, Duration.ofSeconds(1), Duration.ofSeconds(30), 2, null, null);
        }
    }

    /** Whether callbacks are configured at all. */
    public boolean callbacksEnabled() {
        return !webhookUrl.isEmpty();
    }

    /**
     * Delivery of one callback: {@code maxAttempts} POSTs in all, waiting {@code initialDelay} after the
     * first failure and twice as long after each further one, never more than {@code maxDelay}.
     *
     * @param concurrency  callbacks delivered at the same time
     * @param pollPeriod   how often the callback outbox (table data_action_callbacks) is read for callbacks to send
     * @param claimTimeout how long an instance owns a callback it took from the outbox; a callback still there after
     *                     that (its instance died) is sent again. Must exceed the whole retry sequence
     */
    public record Callback(@Min(1) Integer maxAttempts, Duration initialDelay, Duration maxDelay, @Min(1) Integer concurrency,
                           Duration pollPeriod, Duration claimTimeout) {

        public Callback {
            if (maxAttempts == null) {
                maxAttempts = 5;
            }
            if (initialDelay == null) {
                initialDelay = Duration.ofSeconds(1);
            }
            if (maxDelay == null) {
                maxDelay = Duration.ofSeconds(30);
            }
            if (concurrency == null) {
                concurrency = 2;
            }
            if (pollPeriod == null) {
                pollPeriod = Duration.ofMillis(500);
            }
            if (claimTimeout == null) {
                claimTimeout = Duration.ofMinutes(5);
            }
        }
    }
}
