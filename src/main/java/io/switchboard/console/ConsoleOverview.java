package io.switchboard.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.email.DeliveryReports;
import io.switchboard.platform.audit.AuditApi;
import io.switchboard.platform.audit.AuditEntry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.config.PlatformSettings;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.platform.upstream.OAuthTokenSource;
import io.switchboard.platform.upstream.RequestBudget;
import io.switchboard.platform.upstream.UpstreamGateway;
import io.switchboard.platform.upstream.UpstreamPlatform;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/overview}: what the console's overview page shows, in one answer (docs/console.md): each
 * workflow's last audited activity, each platform's request budget and token state (its expiry, never the token),
 * the events pipeline as its meters see it, dead letters per source and the last delivery-report poll.
 *
 * <p>The events figures are read from the {@link MeterRegistry} by name, so this class knows nothing of how the
 * pipeline works; a meter that is not registered answers {@code null} (the console shows "n/a").
 */
@Component
public class ConsoleOverview {

    static final String RECEIVED = "switchboard.events.received";
    static final String DELIVERED = "switchboard.events.delivered";
    static final String DEAD_LETTERED = "switchboard.events.dead_lettered";
    static final String PENDING = "switchboard.events.pending";
    static final String OLDEST_PENDING_AGE = "switchboard.events.pending.oldest.age.seconds";

    private final AuditLog audit;
    private final DeadLetters deadLetters;
    private final DeliveryReports reports;
    private final UpstreamGateway upstream;
    private final List<PlatformSettings> platforms;
    private final MeterRegistry meters;
    private final Environment environment;
    private final Clock clock;

    public ConsoleOverview(AuditLog audit, DeadLetters deadLetters, DeliveryReports reports, UpstreamGateway upstream,
                           List<PlatformSettings> platforms, MeterRegistry meters, Environment environment, Clock clock) {
        this.audit = audit;
        this.deadLetters = deadLetters;
        this.reports = reports;
        this.upstream = upstream;
        this.platforms = platforms;
        this.meters = meters;
        this.environment = environment;
        this.clock = clock;
    }

    /** Route step: the whole overview. */
    public Map<String, Object> overview() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("generatedAt", clock.instant());
        answer.put("workflows", workflows());
        answer.put("platforms", platforms());
        answer.put("events", events());
        answer.put("deadLetters", deadLetters());
        answer.put("reportPoll", reports.summary());
        return answer;
    }

    private List<Map<String, Object>> workflows() {
        List<Map<String, Object>> workflows = new ArrayList<>();
        for (String workflow : new TreeSet<>(AuditApi.WORKFLOWS)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("workflow", workflow);
            List<AuditEntry> last = audit.find(workflow, null, null, 1);
            if (last.isEmpty()) {
                row.put("lastActivity", null);
            } else {
                AuditEntry entry = last.get(0);
                row.put("lastActivity", entry.timestamp());
                row.put("action", entry.action());
                row.put("outcome", entry.outcome());
                row.put("httpStatus", entry.httpStatus());
                row.put("auditId", entry.id());
            }
            workflows.add(row);
        }
        return workflows;
    }

    private List<Map<String, Object>> platforms() {
        List<Map<String, Object>> answer = new ArrayList<>();
        for (PlatformSettings settings : platforms) {
            UpstreamPlatform platform = upstream.platform(settings.id());
            RequestBudget budget = platform.budget();
            OAuthTokenSource tokens = platform.tokens();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("platform", settings.id());
            row.put("name", settings.displayName());
            Map<String, Object> budgetRow = new LinkedHashMap<>();
            budgetRow.put("limit", budget.limit());
            budgetRow.put("used", budget.limit() - budget.available());
            budgetRow.put("available", budget.available());
            budgetRow.put("waiting", budget.waiting());
            row.put("budget", budgetRow);
            Map<String, Object> token = new LinkedHashMap<>();
            token.put("validUntil", tokens.validUntil().orElse(null));
            token.put("requests", tokens.requests());
            token.put("failures", tokens.failures());
            row.put("token", token);
            answer.add(row);
        }
        return answer;
    }

    private Map<String, Object> events() {
        Map<String, Object> events = new LinkedHashMap<>();
        Counter received = meters.find(RECEIVED).counter();
        events.put("received", received == null ? null : (long) received.count());
        List<Map<String, Object>> sinks = new ArrayList<>();
        for (String sink : sinkNames()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sink", sink);
            row.put("delivered", count(DELIVERED, sink));
            row.put("deadLettered", count(DEAD_LETTERED, sink));
            row.put("pending", gauge(PENDING, sink));
            row.put("oldestPendingAgeSeconds", gauge(OLDEST_PENDING_AGE, sink));
            sinks.add(row);
        }
        events.put("sinks", sinks);
        return events;
    }

    private Map<String, Object> deadLetters() {
        Map<String, Long> bySource = deadLetters.countsBySource();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("total", bySource.values().stream().mapToLong(Long::longValue).sum());
        List<Map<String, Object>> sources = new ArrayList<>();
        bySource.forEach((source, count) -> sources.add(Map.of("source", source, "count", count)));
        answer.put("bySource", sources);
        return answer;
    }

    /** The configured sinks ({@code events.sinks.<name>}), in alphabetical order. */
    private List<String> sinkNames() {
        return new ArrayList<>(new TreeSet<>(Binder.get(environment)
                .bind("events.sinks", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of()).keySet()));
    }

    private Long count(String name, String sink) {
        Counter counter = meters.find(name).tag("sink", sink).counter();
        return counter == null ? null : (long) counter.count();
    }

    private Double gauge(String name, String sink) {
        Gauge gauge = meters.find(name).tag("sink", sink).gauge();
        if (gauge == null) {
            return null;
        }
        double value = gauge.value();
        return Double.isNaN(value) ? null : value;
    }
}
