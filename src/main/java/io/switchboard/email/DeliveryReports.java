package io.switchboard.email;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The outcome of the delivery-report polls: the last completed poll's summary (served by
 * {@code GET /api/email/delivery/summary}) and the metrics {@code switchboard.email.*}. A failed poll
 * leaves the summary as it was and shows in {@code switchboard.email.reports.polls{outcome=failure}}
 * and {@code switchboard.email.reports.consecutive.failures}.
 *
 * <p>The summary the API answers lives in the table {@code email_delivery_summary}, so that every instance of a
 * cluster answers what the one polling instance saw; the gauges show this instance's own polls.
 */
@Component
public class DeliveryReports {

    private final AtomicReference<DeliverySummary> last = new AtomicReference<>(DeliverySummary.NONE);
    private volatile int consecutiveFailures;
    private final Counter successfulPolls;
    private final Counter failedPolls;
    private final Counter pagesRead;
    private final Counter itemsRead;
    private final Counter queued;

    private final JdbcClient jdbc;

    public DeliveryReports(MeterRegistry meters, JdbcClient jdbc) {
        this.jdbc = jdbc;
        Gauge.builder("switchboard.email.delivery.items", last, s -> s.get().items())
                .description("Delivery items in the last completed report poll").register(meters);
        Gauge.builder("switchboard.email.delivery.delivered", last, s -> s.get().delivered())
                .description("Delivered items in the last completed report poll").register(meters);
        Gauge.builder("switchboard.email.delivery.bounces", last, s -> s.get().bounces())
                .description("Bounced items (status bounced or a bounce code) in the last completed poll").register(meters);
        Gauge.builder("switchboard.email.delivery.failed", last, s -> s.get().failed())
                .description("Failed items in the last completed report poll").register(meters);
        Gauge.builder("switchboard.email.delivery.bounce.rate", last, s -> s.get().bounceRate())
                .description("Bounce rate of the last completed report poll, in percent").baseUnit("percent")
                .register(meters);
        Gauge.builder("switchboard.email.delivery.bounce.ratio", last, s -> s.get().bounceRate() / 100.0)
                .description("Bounce rate of the last completed report poll, 0-1").register(meters);
        Gauge.builder("switchboard.email.reports.last.success.timestamp", last,
                        s -> s.get().polledAt() == null ? 0 : s.get().polledAt().getEpochSecond())
                .description("When the last report poll completed (epoch seconds; 0 = never)").baseUnit("seconds")
                .register(meters);
        Gauge.builder("switchboard.email.reports.consecutive.failures", this, r -> r.consecutiveFailures)
                .description("Report polls failed in a row since the last completed one").register(meters);
        successfulPolls = Counter.builder("switchboard.email.reports.polls").tag("outcome", "success")
                .description("Delivery-report polls").register(meters);
        failedPolls = Counter.builder("switchboard.email.reports.polls").tag("outcome", "failure")
                .description("Delivery-report polls").register(meters);
        pagesRead = Counter.builder("switchboard.email.reports.pages").description("Report pages read").register(meters);
        itemsRead = Counter.builder("switchboard.email.reports.items").description("Report items read").register(meters);
        queued = Counter.builder("switchboard.email.retry.queued")
                .description("Failed deliveries put on the retry queue (each messageId once)").register(meters);
    }

    void pageRead(long items) {
        pagesRead.increment();
        itemsRead.increment(items);
    }

    void queued() {
        queued.increment();
    }

    void completed(DeliverySummary summary) {
        jdbc.sql("UPDATE email_delivery_summary SET items = ?, delivered = ?, bounces = ?, bounce_rate = ?, failed = ?,"
                        + " pages = ?, polled_at = ?, failed_at = NULL, failure = NULL, consecutive_failures = 0"
                        + " WHERE name = 'last'")
                .params(summary.items(), summary.delivered(), summary.bounces(), summary.bounceRate(), summary.failed(),
                        summary.pages(), timestamp(summary.polledAt()))
                .update();
        last.set(summary);
        consecutiveFailures = 0;
        successfulPolls.increment();
    }

    void failed(Instant at, String error) {
        jdbc.sql("UPDATE email_delivery_summary SET failed_at = ?, failure = ?,"
                        + " consecutive_failures = consecutive_failures + 1 WHERE name = 'last'")
                .params(timestamp(at), error)
                .update();
        consecutiveFailures++;
        failedPolls.increment();
    }

    public DeliverySummary last() {
        return last.get();
    }

    /** The API answer: the last completed poll, and the failure of any poll since (any instance's). */
    public Map<String, Object> summary() {
        return jdbc.sql("SELECT * FROM email_delivery_summary WHERE name = 'last'").query((row, n) -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("items", row.getLong("items"));
            answer.put("bounces", row.getLong("bounces"));
            answer.put("bounceRate", row.getDouble("bounce_rate"));
            answer.put("failed", row.getLong("failed"));
            answer.put("delivered", row.getLong("delivered"));
            answer.put("pages", row.getInt("pages"));
            answer.put("polledAt", instant(row.getObject("polled_at", OffsetDateTime.class)));
            OffsetDateTime failedAt = row.getObject("failed_at", OffsetDateTime.class);
            if (failedAt != null) {
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("at", failedAt.toInstant());
                failed.put("error", row.getString("failure"));
                failed.put("consecutiveFailures", row.getInt("consecutive_failures"));
                answer.put("lastFailedPoll", failed);
            }
            return answer;
        }).single();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
