package io.switchboard.subscriptions;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.eventbridge.model.DeleteRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.RemoveTargetsRequest;
import software.amazon.awssdk.services.eventbridge.model.RemoveTargetsResponse;

/**
 * {@code DELETE /api/events/subscriptions/{name}}, step by step, in the reverse order of creation: the rule's
 * target ({@code RemoveTargets}), the rule ({@code DeleteRule}), the platform connection (CXone's EventBridge
 * connection or Genesys Cloud's integration). A resource already gone counts as removed, so a DELETE that failed
 * half-way can simply be repeated. Each step is audited; a failed step answers what still exists.
 * The queue policy statement stays (other rules may rely on the queue's policy; it grants nothing once the rule
 * is gone).
 */
@Component
public class SubscriptionRemoval {

    /** Exchange property: the {@link Removal} in progress. */
    public static final String REMOVAL = "SwitchboardSubscriptionRemoval";
    static final List<String> STEPS = List.of("target", "rule", "connection");

    /** The subscription being removed and the steps done so far. */
    public static final class Removal {
        final SubscriptionStore.Stored stored;
        final List<String> removed = new ArrayList<>();
        final Map<String, String> outcomes = new LinkedHashMap<>();
        String step;
        long started;

        Removal(SubscriptionStore.Stored stored) {
            this.stored = stored;
        }

        List<String> remaining() {
            List<String> remaining = new ArrayList<>();
            for (String step : STEPS) {
                if (!removed.contains(step)) {
                    remaining.add(step + " " + switch (step) {
                        case "target" -> stored.targetId() + " (" + stored.targetArn() + ")";
                        case "rule" -> stored.ruleArn() == null ? stored.ruleName() : stored.ruleArn();
                        default -> stored.connectionId() == null ? "(none)" : stored.connectionId();
                    });
                }
            }
            return remaining;
        }
    }

    private final SubscriptionStore store;
    private final AuditLog audit;

    public SubscriptionRemoval(SubscriptionStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /** Route step: find the subscription by name (404 when Switchboard made none of that name). */
    public void begin(Exchange exchange) {
        String name = exchange.getIn().getHeader("name", String.class);
        SubscriptionStore.Stored stored = store.find(name)
                .orElseThrow(() -> ProblemException.notFound("No subscription named " + name));
        exchange.setProperty(REMOVAL, new Removal(stored));
    }

    public RemoveTargetsRequest removeTargetsRequest(Exchange exchange) {
        Removal r = start(exchange, "target");
        return RemoveTargetsRequest.builder().rule(r.stored.ruleName()).eventBusName(r.stored.eventBusName())
                .ids(r.stored.targetId()).build();
    }

    public void targetRemoved(Exchange exchange) {
        RemoveTargetsResponse response = exchange.getIn().getBody(RemoveTargetsResponse.class);
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge did not remove the target (" + response.failedEntries().stream()
                    .map(e -> e.targetId() + ": " + e.errorCode() + " " + e.errorMessage())
                    .collect(Collectors.joining("; ")) + ")");
        }
        done(exchange, "removed");
    }

    public DeleteRuleRequest deleteRuleRequest(Exchange exchange) {
        Removal r = start(exchange, "rule");
        return DeleteRuleRequest.builder().name(r.stored.ruleName()).eventBusName(r.stored.eventBusName()).build();
    }

    /** Route predicate: is there a platform connection to delete? */
    public boolean hasConnection(Exchange exchange) {
        Removal r = start(exchange, "connection");
        if (r.stored.connectionId() == null) {
            done(exchange, "none");
            return false;
        }
        return true;
    }

    public boolean isGenesys(Exchange exchange) {
        return removal(exchange).stored.platform().equals("genesys");
    }

    /** Route step: {@code DELETE} of the CXone connection or the Genesys Cloud integration, as an upstream call. */
    public void connectionDeleteRequest(Exchange exchange) {
        Removal r = removal(exchange);
        exchange.getIn().setHeader(Upstream.METHOD, "DELETE");
        exchange.getIn().setHeader(Upstream.PATH, (r.stored.platform().equals("genesys")
                ? GenesysEventSources.INTEGRATIONS_PATH : EventSubscriptions.CONNECTIONS_PATH)
                + "/" + r.stored.connectionId());
        exchange.getIn().setBody(null);
    }

    /** Route step: the current step's resource was removed ({@code removed}) or was already gone. */
    public void done(Exchange exchange, String outcome) {
        Removal r = removal(exchange);
        r.removed.add(r.step);
        r.outcomes.put(r.step, outcome);
        audit.record(record(exchange, r).success(200).payload(Map.of("name", r.stored.name(), "outcome", outcome)));
    }

    public void removed(Exchange exchange) {
        done(exchange, "removed");
    }

    public void alreadyGone(Exchange exchange) {
        done(exchange, "absent");
    }

    /** Route step: every step done; forget the subscription and answer what was removed. */
    public Map<String, Object> finished(Exchange exchange) {
        Removal r = removal(exchange);
        store.delete(r.stored.name());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", r.stored.name());
        body.put("removed", r.outcomes);
        return body;
    }

    /** Route step (exception handler): audit the failed step; answer 502 naming it and what still exists. */
    public void stepFailed(Exchange exchange) {
        Removal r = exchange.getProperty(REMOVAL, Removal.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (r == null || r.step == null) {
            return;
        }
        String what = EventSubscriptions.describe(failure);
        store.save(new SubscriptionStore.Stored(r.stored.name(), r.stored.platform(),
                r.removed.contains("connection") ? null : r.stored.connectionId(), r.stored.eventSource(),
                r.stored.eventBusName(), r.stored.ruleName(), r.stored.ruleArn(), r.stored.targetId(),
                r.stored.targetArn(), r.stored.request(), "incomplete", null));
        audit.record(record(exchange, r).failure(EventSubscriptions.upstreamStatus(failure), what)
                .payload(Map.of("name", r.stored.name(), "remaining", r.remaining())));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new ProblemException(502, "Subscription partly removed",
                "Step " + r.step + " failed: " + what + ". Still exists: " + String.join(", ", r.remaining())
                        + ". Repeat the DELETE once the cause is fixed.")
                .with("step", r.step).with("removed", r.outcomes).with("remaining", r.remaining()));
    }

    private Removal removal(Exchange exchange) {
        return exchange.getProperty(REMOVAL, Removal.class);
    }

    private Removal start(Exchange exchange, String step) {
        Removal r = removal(exchange);
        r.step = step;
        r.started = System.nanoTime();
        return r;
    }

    private static AuditRecord record(Exchange exchange, Removal r) {
        return AuditRecord.of(exchange, "events", "subscription.delete." + r.step)
                .target(r.stored.name()).latencyMs((System.nanoTime() - r.started) / 1_000_000);
    }
}
