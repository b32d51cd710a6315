package io.switchboard.email;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the email SMTP relay workflow ({@code email.*}).
 *
 * @param retryQueue SQS queue of failed deliveries awaiting retry
 * @param reports    delivery-report polling
 * @param retry      retry of failed deliveries
 * @param probe      the live SMTP probe of {@code POST /api/email/smtp-test?probe=true}
 */
@Validated
@ConfigurationProperties("email")
public record EmailProperties(@NotBlank String retryQueue, @Valid @NotNull Reports reports,
                              @Valid @NotNull Retry retry, @Valid @NotNull Probe probe) {

    /**
     * @param pollPeriod           time between two polls of the delivery reports
     * @param initialDelay         time from start-up to the first poll
     * @param bounceWarningPercent a bounce rate above this (in percent) is logged as a warning
     * @param maxPages             a poll following more pages than this fails (a {@code nextPage} loop)
     */
    public record Reports(@NotNull Duration pollPeriod, @NotNull Duration initialDelay,
                          @DecimalMin("0") double bounceWarningPercent, @Min(1) int maxPages) {
    }

    /**
     * @param initialDelay      wait before the second attempt; it doubles per attempt
     * @param maxDelay          ... up to this
     * @param maxAttempts       attempts in all, then a dead letter
     * @param visibilityTimeout SQS visibility timeout of a message being retried; extended while its
     *                          backoff runs, so after a crash the message is back on the queue this long later
     * @param dedupRetention    how long a queued messageId is remembered so a later poll does not queue it again
     * @param waitTimeSeconds   SQS long polling wait of the retry queue's consumer; also how long stopping
     *                          Switchboard may wait for that consumer's receive in progress
     */
    public record Retry(@NotNull Duration initialDelay, @NotNull Duration maxDelay, @Min(1) @Max(20) int maxAttempts,
                        @NotNull Duration visibilityTimeout, @NotNull Duration dedupRetention,
                        @Min(0) @Max(20) int waitTimeSeconds) {
    }

    /**
     * @param connectTimeout     TCP connect timeout of the probe
     * @param readTimeout        time the probe waits for each reply of the relay (and the TLS handshake)
     * @param ehloName           the name the probe announces in EHLO
     * @param trustStore         optional PKCS12 file trusted in addition to the system trust store
     * @param trustStorePassword its password
     * @param connectTo          {@code host:port=otherhost:otherport} entries: connect there instead, like
     *                           curl's {@code --connect-to}; the TLS certificate is still checked for the
     *                           requested host; the SSRF guard checks the address really dialled
     * @param allowedNetworks    CIDRs (comma separated) the probe may reach although the SSRF guard refuses
     *                           them (loopback, private, link-local ...); empty = none
     */
    public record Probe(@NotNull Duration connectTimeout, @NotNull Duration readTimeout, @NotBlank String ehloName,
                        String trustStore, String trustStorePassword, List<String> connectTo, String allowedNetworks) {

        public Probe {
            connectTo = connectTo == null ? List.of() : List.copyOf(connectTo);
        }
    }
}
