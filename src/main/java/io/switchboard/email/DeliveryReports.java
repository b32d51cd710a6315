package io.switchboard.email;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * The outcome of the delivery-report polls: the last completed poll's summary (served by
 * {@code GET /api/email/delivery/summary}) and the metrics {@code switchboard.email.*}. A failed poll
 * leaves the summary as it was and shows in {@code switchboard.email.reports.polls{outcome=failure}}
 * and {@code switchboard.email.reports.consecutive.failures}.
 */
@Component
public class DeliveryReports {

    private record FailedPoll(Instant at, String error) {
    }

    private final AtomicReference<DeliverySummary> last = new AtomicReference<>(DeliverySummary.NONE);
    private final AtomicReference<FailedPoll> lastFailure = new AtomicReference<>();
    private volatile int consecutiveFailures;
    private final Counter successfulPolls;
    private final Counter failedPolls;
    private final Counter pagesRead;
    private final Counter itemsRead;
    private final Counter queued;

    public DeliveryReports(MeterRegistry meters) {
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
        Gauge.builder("switchboard.email.reports.last.success", last,
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
        last.set(summary);
        lastFailure.set(null);
        consecutiveFailures = 0;
        successfulPolls.increment();
    }

    void failed(Instant at, String error) {
        lastFailure.set(new FailedPoll(at, error));
        consecutiveFailures++;
        failedPolls.increment();
    }

    public DeliverySummary last() {
        return last.get();
    }

    /** The API answer: the last completed poll, and the failure of any poll since. */
    public Map<String, Object> summary() {
        DeliverySummary summary = last.get();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", summary.items());
        answer.put("bounces", summary.bounces());
        answer.put("bounceRate", summary.bounceRate());
        answer.put("failed", summary.failed());
        answer.put("delivered", summary.delivered());
        answer.put("pages", summary.pages());
        answer.put("polledAt", summary.polledAt());
        FailedPoll failure = lastFailure.get();
        if (failure != null) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("at", failure.at());
            failed.put("error", failure.error());
            failed.put("consecutiveFailures", consecutiveFailures);
            answer.put("lastFailedPoll", failed);
        }
        return answer;
    }
}
