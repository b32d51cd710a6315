package io.switchboard.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.json.JsonAnswers;
import io.switchboard.platform.net.CallerUrls;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The routing webhook both ways: registering it with CXone ({@code POST /api/v2/webhooks}, for
 * {@code routing.rule.created} and {@code routing.rule.updated}, as docs/api.md#routing-rules describes) and
 * receiving its callbacks. Both are audited under workflow {@code routing-rules}:
 * {@code webhook.register} and {@code webhook.received}, accepted or refused.
 */
@Component
public class RoutingWebhooks {

    public static final String WEBHOOKS_PATH = "/api/v2/webhooks";
    public static final List<String> EVENTS = List.of("routing.rule.created", "routing.rule.updated");
    static final String DEFAULT_NAME = "RoutingRuleSync";

    private static final String STARTED = "SwitchboardRoutingWebhookStarted";
    private static final String REQUEST = "SwitchboardRoutingWebhookRequest";

    private final AuditLog audit;
    private final Problems problems;
    private final ObjectMapper json;
    private final CallerUrls callerUrls;

    public RoutingWebhooks(AuditLog audit, Problems problems, ObjectMapper json, CallerUrls callerUrls) {
        this.audit = audit;
        this.problems = problems;
        this.json = json;
        this.callerUrls = callerUrls;
    }

    public void begin(Exchange exchange, @Body String body) {
        exchange.setProperty(STARTED, System.nanoTime());
        exchange.setProperty(REQUEST, body);
    }

    /** The registration CXone gets: callback URL, events, and the workflow's own name for it. */
    public Map<String, Object> platformRegistration(Exchange exchange) {
        JsonNode request = read(exchange.getProperty(REQUEST, String.class));
        callerUrls.check("callbackUrl", request.path("callbackUrl").asText());
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("name", request.path("name").asText(DEFAULT_NAME));
        registration.put("enabled", request.path("enabled").asBoolean(true));
        registration.put("targetURL", request.path("callbackUrl").asText());
        registration.put("eventFilter", String.join(" ", EVENTS));
        registration.put("format", "json");
        return registration;
    }

    /** CXone registered the webhook: audit it and answer its id, target and events. */
    public Map<String, Object> registered(Exchange exchange) {
        JsonNode webhook = JsonAnswers.upstreamObject(json, exchange.getIn(), "the webhook registration");
        String id = webhook.path("id").asText(null);
        JsonNode request = read(exchange.getProperty(REQUEST, String.class));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("callbackUrl", request.path("callbackUrl").asText());
        answer.put("events", EVENTS);
        answer.put("webhook", webhook);
        audit.record(AuditRecord.of(exchange, RoutingAudit.WORKFLOW, "webhook.register")
                .target(id).success(201).latencyMs(elapsedMs(exchange)).payload(answer));
        return answer;
    }

    /** The callback is valid: audit it and acknowledge. */
    public Map<String, Object> callbackReceived(Exchange exchange) {
        JsonNode callback = read(exchange.getProperty(REQUEST, String.class));
        String timestamp = callback.path("timestamp").asText();
        try {
            OffsetDateTime.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("timestamp", "is not a date-time such as 2026-01-31T12:00:00Z");
        }
        String ruleId = callback.path("ruleId").asText();
        String event = callback.path("event").asText();
        audit.record(AuditRecord.of(exchange, RoutingAudit.WORKFLOW, "webhook.received")
                .target(ruleId).success(200).latencyMs(elapsedMs(exchange)).payload(callback));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("received", true);
        answer.put("event", event);
        answer.put("ruleId", ruleId);
        return answer;
    }

    /** doCatch of the registration: audit the failure and answer it. */
    public void registrationFailed(Exchange exchange) {
        failed(exchange, "webhook.register");
    }

    /** doCatch of a callback: audit the refused callback and answer it. */
    public void callbackRejected(Exchange exchange) {
        failed(exchange, "webhook.received");
    }

    private void failed(Exchange exchange, String action) {
        ProblemException problem = problems.toProblem(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        String body = exchange.getProperty(REQUEST, String.class);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("request", JsonAnswers.readOrText(json, body));
        if (!problem.errors().isEmpty()) {
            payload.put("errors", problem.errors());
        }
        JsonNode request = JsonAnswers.readOrNull(json, body);
        String target = request == null ? null : request.path("ruleId").asText(null);
        audit.record(AuditRecord.of(exchange, RoutingAudit.WORKFLOW, action)
                .target(target).failure(problem.status(), problem.detail())
                .latencyMs(elapsedMs(exchange)).payload(payload));
        throw problem;
    }

    private long elapsedMs(Exchange exchange) {
        Long started = exchange.getProperty(STARTED, Long.class);
        return started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
    }

    private JsonNode read(String body) {
        JsonNode node = JsonAnswers.readOrNull(json, body);
        return node == null ? json.createObjectNode() : node;
    }

}
