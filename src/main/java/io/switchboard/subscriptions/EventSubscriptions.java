package io.switchboard.subscriptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.model.PutRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.PutRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;

/**
 * {@code POST /api/events/subscriptions}, step by step: the CXone EventBridge connection, the EventBridge rule
 * (event pattern on source and detail-types), its target. Each step is audited, success or failure. A failure
 * names its step and everything the earlier steps created, so nothing half-done goes unreported.
 */
@Component
public class EventSubscriptions {

    static final String DEFAULT_SOURCE = "com.nice.cxone.interactions";
    static final String CONNECTIONS_PATH = "/api/v2/platform/eventbridgeconnections";
    /** Exchange property: the {@link Subscription} in progress. */
    public static final String SUBSCRIPTION = "SwitchboardEventSubscription";

    /** The request, and what each step created so far. */
    public static final class Subscription {
        final String name;
        final List<String> eventTypes;
        final String eventBusName;
        final String awsAccountId;
        final String awsRegion;
        final String ruleName;
        final String targetArn;
        final String targetId;
        final String eventSource;
        String step;
        long stepStarted;
        String connectionId;
        String connectionStatus;
        String ruleArn;

        Subscription(JsonNode body) {
            name = body.path("name").asText();
            eventTypes = java.util.stream.StreamSupport.stream(body.path("eventTypes").spliterator(), false)
                    .map(JsonNode::asText).toList();
            eventBusName = body.path("eventBusName").asText();
            awsAccountId = body.path("awsAccountId").asText();
            awsRegion = body.path("awsRegion").asText();
            ruleName = body.path("ruleName").asText();
            targetArn = body.path("targetArn").asText();
            targetId = body.path("targetId").asText(ruleName);
            eventSource = body.path("eventSource").asText(DEFAULT_SOURCE);
        }

        /** What exists upstream so far. */
        Map<String, Object> created() {
            Map<String, Object> created = new LinkedHashMap<>();
            if (connectionId != null) {
                created.put("connectionId", connectionId);
            }
            if (ruleArn != null) {
                created.put("ruleArn", ruleArn);
            }
            return created;
        }
    }

    private final ObjectMapper json;
    private final AuditLog audit;
    private final Problems problems;

    public EventSubscriptions(ObjectMapper json, AuditLog audit, Problems problems) {
        this.json = json;
        this.audit = audit;
        this.problems = problems;
    }

    /** Route step: the validated body becomes the {@link Subscription} in progress. */
    public void begin(Exchange exchange) {
        try {
            exchange.setProperty(SUBSCRIPTION, new Subscription(json.readTree(exchange.getIn().getBody(String.class))));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rule's event pattern: the connection's source and the subscribed detail-types. */
    String eventPattern(Subscription subscription) {
        Map<String, Object> pattern = new LinkedHashMap<>();
        pattern.put("source", List.of(subscription.eventSource));
        pattern.put("detail-type", subscription.eventTypes);
        try {
            return json.writeValueAsString(pattern);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- step 1: CXone connection ---------------------------------------------------------------------------

    /** Route step: {@code POST /api/v2/platform/eventbridgeconnections} as an upstream call. */
    public Map<String, Object> connectionRequest(Exchange exchange) {
        Subscription s = start(exchange, "connection");
        exchange.getIn().setHeader(Upstream.METHOD, "POST");
        exchange.getIn().setHeader(Upstream.PATH, CONNECTIONS_PATH);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", s.name);
        body.put("awsAccountId", s.awsAccountId);
        body.put("awsRegion", s.awsRegion);
        body.put("eventBusName", s.eventBusName);
        body.put("eventSource", s.eventSource);
        body.put("enabled", true);
        body.put("eventTypes", s.eventTypes);
        return body;
    }

    /** Route step: the connection exists; keep its id, audit the step. */
    public void connectionCreated(Exchange exchange) throws JsonProcessingException {
        Subscription s = exchange.getProperty(SUBSCRIPTION, Subscription.class);
        JsonNode connection = json.readTree(exchange.getIn().getBody(String.class));
        s.connectionId = connection.path("id").asText(null);
        s.connectionStatus = connection.path("status").asText(null);
        audit.record(stepRecord(exchange, s, s.connectionId == null ? s.name : s.connectionId)
                .success(exchange.getIn().getHeader(Upstream.STATUS, 201, Integer.class))
                .payload(Map.of("name", s.name, "awsAccountId", s.awsAccountId, "awsRegion", s.awsRegion,
                        "eventBusName", s.eventBusName, "eventTypes", s.eventTypes)));
    }

    // --- step 2: EventBridge rule ---------------------------------------------------------------------------

    /** Route step: the {@code PutRule} request (rule on the subscription's bus, enabled). */
    public PutRuleRequest ruleRequest(Exchange exchange) {
        Subscription s = start(exchange, "rule");
        return PutRuleRequest.builder()
                .name(s.ruleName)
                .eventBusName(s.eventBusName)
                .eventPattern(eventPattern(s))
                .state(RuleState.ENABLED)
                .description("Switchboard subscription " + s.name + " (CXone connection "
                        + (s.connectionId == null ? "?" : s.connectionId) + ")")
                .build();
    }

    /** Route step: the rule exists; keep its ARN, audit the step. */
    public void ruleCreated(Exchange exchange) {
        Subscription s = exchange.getProperty(SUBSCRIPTION, Subscription.class);
        PutRuleResponse response = exchange.getIn().getBody(PutRuleResponse.class);
        s.ruleArn = response.ruleArn();
        audit.record(stepRecord(exchange, s, s.ruleArn).success(response.sdkHttpResponse().statusCode())
                .payload(Map.of("ruleName", s.ruleName, "eventBusName", s.eventBusName,
                        "eventPattern", eventPattern(s))));
    }

    // --- step 3: EventBridge target -------------------------------------------------------------------------

    /** Route step: the {@code PutTargets} request: the rule's one target. */
    public PutTargetsRequest targetsRequest(Exchange exchange) {
        Subscription s = start(exchange, "targets");
        return PutTargetsRequest.builder()
                .rule(s.ruleName)
                .eventBusName(s.eventBusName)
                .targets(Target.builder().id(s.targetId).arn(s.targetArn).build())
                .build();
    }

    /**
     * Route step: PutTargets answered. EventBridge reports a refused target as a failed entry in a 200 answer;
     * that is a failure of this step like any other.
     */
    public void targetsCreated(Exchange exchange) {
        Subscription s = exchange.getProperty(SUBSCRIPTION, Subscription.class);
        PutTargetsResponse response = exchange.getIn().getBody(PutTargetsResponse.class);
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            String entries = response.failedEntries().stream()
                    .map(entry -> entry.targetId() + ": " + entry.errorCode() + " " + entry.errorMessage())
                    .collect(Collectors.joining("; "));
            throw new TargetRefusedException("EventBridge refused the target (" + entries + ")");
        }
        audit.record(stepRecord(exchange, s, s.targetId).success(response.sdkHttpResponse().statusCode())
                .payload(Map.of("ruleName", s.ruleName, "targetId", s.targetId, "targetArn", s.targetArn)));
    }

    /** PutTargets answered 200 but listed the target as failed. */
    static final class TargetRefusedException extends RuntimeException {
        TargetRefusedException(String message) {
            super(message);
        }
    }

    // --- outcome --------------------------------------------------------------------------------------------

    /** Route step: the 201 body. */
    public Map<String, Object> created(Exchange exchange) {
        Subscription s = exchange.getProperty(SUBSCRIPTION, Subscription.class);
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("id", s.connectionId);
        connection.put("status", s.connectionStatus);
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", s.ruleName);
        rule.put("arn", s.ruleArn);
        rule.put("eventBusName", s.eventBusName);
        rule.put("eventPattern", readTree(eventPattern(s)));
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("id", s.targetId);
        target.put("arn", s.targetArn);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", s.name);
        body.put("connection", connection);
        body.put("rule", rule);
        body.put("target", target);
        return body;
    }

    /**
     * Route step (the subscription's exception handler): audit the failed step and make the failure the problem
     * to answer. A failed first step is answered like any CXone failure (409 stays 409 ...); a later one is a
     * 502. Either way the problem names the {@code step} and what was already {@code created}.
     */
    public void stepFailed(Exchange exchange) {
        Subscription s = exchange.getProperty(SUBSCRIPTION, Subscription.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String what = describe(failure);
        ProblemException problem;
        if (s.created().isEmpty()) {
            problem = problems.toProblem(failure instanceof SdkException || failure instanceof TargetRefusedException
                    ? ProblemException.badGateway(what) : failure);
        } else {
            problem = new ProblemException(502, "Subscription incomplete", "Step " + s.step + " failed: " + what
                    + ". Already created: " + s.created().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
        problem.with("step", s.step).with("created", s.created());
        audit.record(stepRecord(exchange, s, s.step.equals("connection") ? s.name
                        : s.step.equals("rule") ? s.ruleName : s.targetId)
                .failure(upstreamStatus(failure), what)
                .payload(Map.of("name", s.name, "ruleName", s.ruleName, "created", s.created())));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, problem);
    }

    private static String describe(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return "EventBridge answered " + aws.statusCode() + " " + aws.awsErrorDetails().errorCode() + ": "
                    + aws.awsErrorDetails().errorMessage();
        }
        if (failure instanceof SdkException sdk) {
            return "EventBridge could not be reached: " + sdk.getMessage();
        }
        return failure == null ? "unknown failure" : failure.getMessage();
    }

    private static Integer upstreamStatus(Throwable failure) {
        if (failure instanceof UpstreamException upstream) {
            return upstream.status();
        }
        if (failure instanceof AwsServiceException aws) {
            return aws.statusCode();
        }
        return null;
    }

    private Subscription start(Exchange exchange, String step) {
        Subscription s = exchange.getProperty(SUBSCRIPTION, Subscription.class);
        s.step = step;
        s.stepStarted = System.nanoTime();
        return s;
    }

    private static AuditRecord stepRecord(Exchange exchange, Subscription s, String target) {
        return AuditRecord.of(exchange, "events", "subscription." + s.step).target(target)
                .latencyMs((System.nanoTime() - s.stepStarted) / 1_000_000);
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
