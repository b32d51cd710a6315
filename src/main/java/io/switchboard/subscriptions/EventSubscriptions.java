package io.switchboard.subscriptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.json.JsonAnswers;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.model.DeadLetterConfig;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.ListTargetsByRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.ListTargetsByRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.PutRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.PutRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.RetryPolicy;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.SqsParameters;
import software.amazon.awssdk.services.eventbridge.model.Target;

/**
 * {@code POST /api/events/subscriptions}, step by step: the platform connection, the EventBridge rule (event
 * pattern on source and detail-types), the target queue's policy, the rule's target. Every step first looks at
 * what exists (the subscription store, {@code DescribeRule}, the queue's Policy, {@code ListTargetsByRule}) and
 * creates only what is missing, so the same body again converges on the same resources. Each step is audited,
 * success or failure; a failure names its step and everything that exists so far.
 * See docs/decisions/0050-subscriptions-converge.md.
 */
@Component
public class EventSubscriptions {

    static final String DEFAULT_SOURCE = "com.nice.cxone.interactions";
    /**
     * A FIFO target's default message group: the platform's interaction id, as a JSON path into the event (README
     * "Events: subscriptions", decision 0050). Should EventBridge take it as a plain string, it is still one valid
     * group, and the queue's order is then total.
     */
    static final Map<String, String> INTERACTION_GROUP = Map.of(
            "cxone", "$.detail.interaction.id",
            "genesys", "$.detail.eventBody.conversationId");
    static final String CONNECTIONS_PATH = "/api/v2/platform/eventbridgeconnections";
    /** Exchange property: the {@link Subscription} in progress. */
    public static final String SUBSCRIPTION = "SwitchboardEventSubscription";

    static final String CREATED = "created";
    static final String EXISTING = "existing";
    static final String UPDATED = "updated";
    static final String SKIPPED = "skipped";

    /** The request, and what each step found or created so far. */
    public static final class Subscription {
        final String request;
        final String name;
        final String platform;
        final List<String> eventTypes;
        String eventBusName;
        final String awsAccountId;
        final String awsRegion;
        final String ruleName;
        final String targetArn;
        final String targetId;
        String eventSource;
        final String deadLetterArn;
        final int maximumEventAgeSeconds;
        final int maximumRetryAttempts;
        final String messageGroupId;
        final String eventSourceSuffix;
        final List<String> topicFilters;
        String step;
        long stepStarted;
        String connectionId;
        String connectionStatus;
        String ruleArn;
        DescribeRuleResponse existingRule;
        Target existingTarget;
        String queueUrl;
        /** resource → created | existing | updated | skipped, in step order. */
        final Map<String, String> resources = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();

        Subscription(String request, JsonNode body, SubscriptionsProperties defaults) {
            this.request = request;
            name = body.path("name").asText();
            platform = body.path("platform").asText("cxone");
            eventTypes = StreamSupport.stream(body.path("eventTypes").spliterator(), false).map(JsonNode::asText).toList();
            eventBusName = body.path("eventBusName").asText(null);
            awsAccountId = body.path("awsAccountId").asText();
            awsRegion = body.path("awsRegion").asText();
            ruleName = body.path("ruleName").asText();
            targetArn = body.path("targetArn").asText();
            targetId = body.path("targetId").asText(ruleName);
            eventSource = body.path("eventSource").asText(platform.equals("cxone") ? DEFAULT_SOURCE : null);
            String dlq = body.path("deadLetterArn").asText(defaults.deadLetterArn());
            deadLetterArn = dlq == null || dlq.isBlank() ? null : dlq;
            maximumEventAgeSeconds = body.path("retryPolicy").path("maximumEventAgeSeconds")
                    .asInt(defaults.maximumEventAgeSeconds());
            maximumRetryAttempts = body.path("retryPolicy").path("maximumRetryAttempts")
                    .asInt(defaults.maximumRetryAttempts());
            messageGroupId = body.path("messageGroupId").asText(INTERACTION_GROUP.getOrDefault(platform, name));
            eventSourceSuffix = body.path("eventSourceSuffix").asText(name);
            topicFilters = StreamSupport.stream(body.path("topicFilters").spliterator(), false).map(JsonNode::asText).toList();
        }

        boolean fifo() {
            return targetArn.endsWith(".fifo");
        }

        /** What exists upstream so far (ids and ARNs). */
        Map<String, Object> created() {
            Map<String, Object> created = new LinkedHashMap<>();
            if (connectionId != null) {
                created.put("connectionId", connectionId);
            }
            if (eventSource != null && platform.equals("genesys") && resources.containsKey("eventBus")) {
                created.put("eventBus", eventBusName);
            }
            if (ruleArn != null) {
                created.put("ruleArn", ruleArn);
            }
            if (resources.containsKey("queuePolicy") && !SKIPPED.equals(resources.get("queuePolicy"))) {
                created.put("queuePolicy", QueuePolicy.sid(ruleName));
            }
            return created;
        }
    }

    private final ObjectMapper json;
    private final AuditLog audit;
    private final Problems problems;
    private final SubscriptionsProperties properties;
    private final SubscriptionStore store;
    private final QueuePolicies queuePolicies;

    public EventSubscriptions(ObjectMapper json, AuditLog audit, Problems problems, SubscriptionsProperties properties,
                              SubscriptionStore store, QueuePolicies queuePolicies) {
        this.json = json;
        this.audit = audit;
        this.problems = problems;
        this.properties = properties;
        this.store = store;
        this.queuePolicies = queuePolicies;
    }

    /**
     * Route step: the validated body becomes the {@link Subscription} in progress; a subscription of that name
     * made earlier lends it the platform connection it already has.
     */
    public void begin(Exchange exchange) {
        String body = exchange.getIn().getBody(String.class);
        Subscription s = new Subscription(body, readTree(body), properties);
        store.find(s.name).ifPresent(previous -> {
            if (!previous.platform().equals(s.platform)) {
                throw ProblemException.conflict("Subscription " + s.name + " exists for platform " + previous.platform()
                        + "; delete it first to subscribe to " + s.platform);
            }
            s.connectionId = previous.connectionId();
        });
        exchange.setProperty(SUBSCRIPTION, s);
    }

    /** Route predicate: which platform's connection step runs. */
    public boolean isGenesys(Exchange exchange) {
        return subscription(exchange).platform.equals("genesys");
    }

    /** The rule's event pattern: the connection's source and, when given, the subscribed detail-types. */
    String eventPattern(Subscription subscription) {
        Map<String, Object> pattern = new LinkedHashMap<>();
        pattern.put("source", List.of(subscription.eventSource));
        if (!subscription.eventTypes.isEmpty()) {
            pattern.put("detail-type", subscription.eventTypes);
        }
        try {
            return json.writeValueAsString(pattern);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- step 1: CXone connection ---------------------------------------------------------------------------

    /** Route predicate: a CXone connection is still to be created (none recorded for this subscription). */
    public boolean connectionNeeded(Exchange exchange) {
        Subscription s = start(exchange, "connection");
        if (s.connectionId != null) {
            s.resources.put("connection", EXISTING);
            return false;
        }
        return true;
    }

    /** Route step: {@code POST /api/v2/platform/eventbridgeconnections} as an upstream call. */
    public Map<String, Object> connectionRequest(Exchange exchange) {
        Subscription s = subscription(exchange);
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

    /** Route step: the connection exists; keep its id. */
    public void connectionCreated(Exchange exchange) {
        Subscription s = subscription(exchange);
        JsonNode connection = JsonAnswers.upstreamObject(json, exchange.getIn(), "the EventBridge connection create");
        s.connectionId = connection.path("id").asText(null);
        s.connectionStatus = connection.path("status").asText(null);
        s.resources.put("connection", CREATED);
    }

    /** Route step: audit the connection step, whether it created the connection or found it. */
    public void connectionDone(Exchange exchange) {
        Subscription s = subscription(exchange);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", s.name);
        payload.put("platform", s.platform);
        payload.put("outcome", s.resources.get("connection"));
        payload.put("awsAccountId", s.awsAccountId);
        payload.put("awsRegion", s.awsRegion);
        payload.put(s.platform.equals("genesys") ? "topicFilters" : "eventTypes",
                s.platform.equals("genesys") ? s.topicFilters : s.eventTypes);
        if (s.eventBusName != null) {
            payload.put("eventBusName", s.eventBusName);
        }
        audit.record(stepRecord(exchange, s, s.connectionId == null ? s.name : s.connectionId)
                .success(exchange.getIn().getHeader(Upstream.STATUS, 200, Integer.class)).payload(payload));
    }

    // --- step 2: EventBridge rule ---------------------------------------------------------------------------

    /** Route step: the {@code DescribeRule} request (does the rule exist, with which pattern?). */
    public DescribeRuleRequest describeRuleRequest(Exchange exchange) {
        Subscription s = start(exchange, "rule");
        return DescribeRuleRequest.builder().name(s.ruleName).eventBusName(s.eventBusName).build();
    }

    public void ruleFound(Exchange exchange) {
        subscription(exchange).existingRule = exchange.getIn().getBody(DescribeRuleResponse.class);
    }

    public void ruleAbsent(Exchange exchange) {
        subscription(exchange).existingRule = null;
    }

    /** Route predicate: PutRule is needed unless the rule exists, enabled, with the same pattern. */
    public boolean ruleNeeded(Exchange exchange) {
        Subscription s = subscription(exchange);
        DescribeRuleResponse existing = s.existingRule;
        if (existing != null && existing.state() == RuleState.ENABLED
                && Objects.equals(readTree(existing.eventPattern()), readTree(eventPattern(s)))) {
            s.ruleArn = existing.arn();
            s.resources.put("rule", EXISTING);
            return false;
        }
        return true;
    }

    /** Route step: the {@code PutRule} request (rule on the subscription's bus, enabled). */
    public PutRuleRequest ruleRequest(Exchange exchange) {
        Subscription s = subscription(exchange);
        return PutRuleRequest.builder()
                .name(s.ruleName)
                .eventBusName(s.eventBusName)
                .eventPattern(eventPattern(s))
                .state(RuleState.ENABLED)
                .description("Switchboard subscription " + s.name + " (" + s.platform + " connection "
                        + (s.connectionId == null ? "?" : s.connectionId) + ")")
                .build();
    }

    /** Route step: PutRule answered; keep the rule's ARN. */
    public void rulePut(Exchange exchange) {
        Subscription s = subscription(exchange);
        PutRuleResponse response = exchange.getIn().getBody(PutRuleResponse.class);
        s.ruleArn = response.ruleArn();
        s.resources.put("rule", s.existingRule == null ? CREATED : UPDATED);
    }

    public void ruleDone(Exchange exchange) {
        Subscription s = subscription(exchange);
        audit.record(stepRecord(exchange, s, s.ruleArn).success(200)
                .payload(Map.of("ruleName", s.ruleName, "outcome", s.resources.get("rule"),
                        "eventBusName", s.eventBusName, "eventPattern", eventPattern(s))));
    }

    // --- step 3: the target queue's policy ------------------------------------------------------------------

    /**
     * Route step: grant the rule {@code sqs:SendMessage} on the target queue, merged into the queue's policy.
     * A target that is no SQS queue is skipped, with a note in the answer.
     */
    public void queuePolicy(Exchange exchange) {
        Subscription s = start(exchange, "queuePolicy");
        String outcome;
        if (!QueuePolicies.isQueue(s.targetArn)) {
            outcome = SKIPPED;
            s.notes.add("The target is not an SQS queue: no queue policy was set. Grant events.amazonaws.com access to "
                    + s.targetArn + " for rule " + s.ruleArn + " yourself (resource policy or role).");
        } else {
            QueuePolicies.Outcome result = queuePolicies.grant(s.targetArn, s.ruleName, s.ruleArn);
            s.queueUrl = result.queueUrl();
            outcome = result.status().equals(EXISTING) ? EXISTING : CREATED;
            if (result.status().equals("merged")) {
                s.notes.add("The queue's policy had other statements; they were kept and statement "
                        + QueuePolicy.sid(s.ruleName) + " was added.");
            }
        }
        s.resources.put("queuePolicy", outcome);
        audit.record(stepRecord(exchange, s, s.targetArn).success(200)
                .payload(Map.of("targetArn", s.targetArn, "ruleArn", s.ruleArn, "outcome", outcome,
                        "statement", QueuePolicy.sid(s.ruleName))));
    }

    // --- step 4: EventBridge target -------------------------------------------------------------------------

    public ListTargetsByRuleRequest listTargetsRequest(Exchange exchange) {
        Subscription s = start(exchange, "targets");
        return ListTargetsByRuleRequest.builder().rule(s.ruleName).eventBusName(s.eventBusName).build();
    }

    public void targetsFound(Exchange exchange) {
        Subscription s = subscription(exchange);
        ListTargetsByRuleResponse response = exchange.getIn().getBody(ListTargetsByRuleResponse.class);
        s.existingTarget = response.targets().stream().filter(t -> t.id().equals(s.targetId)).findFirst().orElse(null);
    }

    /** The rule's one target: the queue, its retry policy, its dead-letter queue and, for FIFO, the group id. */
    Target target(Subscription s) {
        Target.Builder target = Target.builder().id(s.targetId).arn(s.targetArn)
                .retryPolicy(RetryPolicy.builder()
                        .maximumEventAgeInSeconds(s.maximumEventAgeSeconds)
                        .maximumRetryAttempts(s.maximumRetryAttempts).build());
        if (s.deadLetterArn != null) {
            target.deadLetterConfig(DeadLetterConfig.builder().arn(s.deadLetterArn).build());
        }
        if (s.fifo()) {
            target.sqsParameters(SqsParameters.builder().messageGroupId(s.messageGroupId).build());
        }
        return target.build();
    }

    /** Route predicate: PutTargets is needed unless the rule already has this very target. */
    public boolean targetNeeded(Exchange exchange) {
        Subscription s = subscription(exchange);
        Target wanted = target(s);
        Target existing = s.existingTarget;
        if (existing != null && wanted.arn().equals(existing.arn())
                && Objects.equals(wanted.retryPolicy(), existing.retryPolicy())
                && Objects.equals(wanted.deadLetterConfig(), existing.deadLetterConfig())
                && Objects.equals(wanted.sqsParameters(), existing.sqsParameters())) {
            s.resources.put("target", EXISTING);
            return false;
        }
        return true;
    }

    /** Route step: the {@code PutTargets} request: the rule's one target (same id: replaced, never doubled). */
    public PutTargetsRequest targetsRequest(Exchange exchange) {
        Subscription s = subscription(exchange);
        return PutTargetsRequest.builder().rule(s.ruleName).eventBusName(s.eventBusName).targets(target(s)).build();
    }

    /**
     * Route step: PutTargets answered. EventBridge reports a refused target as a failed entry in a 200 answer;
     * that is a failure of this step like any other.
     */
    public void targetsCreated(Exchange exchange) {
        Subscription s = subscription(exchange);
        PutTargetsResponse response = exchange.getIn().getBody(PutTargetsResponse.class);
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            String entries = response.failedEntries().stream()
                    .map(entry -> entry.targetId() + ": " + entry.errorCode() + " " + entry.errorMessage())
                    .collect(Collectors.joining("; "));
            throw new TargetRefusedException("EventBridge refused the target (" + entries + ")");
        }
        s.resources.put("target", s.existingTarget == null ? CREATED : UPDATED);
    }

    public void targetsDone(Exchange exchange) {
        Subscription s = subscription(exchange);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ruleName", s.ruleName);
        payload.put("targetId", s.targetId);
        payload.put("targetArn", s.targetArn);
        payload.put("outcome", s.resources.get("target"));
        payload.put("deadLetterArn", s.deadLetterArn);
        payload.put("maximumEventAgeSeconds", s.maximumEventAgeSeconds);
        payload.put("maximumRetryAttempts", s.maximumRetryAttempts);
        if (s.fifo()) {
            payload.put("messageGroupId", s.messageGroupId);
        }
        audit.record(stepRecord(exchange, s, s.targetId).success(200).payload(payload));
    }

    /** PutTargets answered 200 but listed the target as failed. */
    static final class TargetRefusedException extends RuntimeException {
        TargetRefusedException(String message) {
            super(message);
        }
    }

    // --- outcome --------------------------------------------------------------------------------------------

    /** Route step: remember the subscription (what a DELETE removes and GET lists). */
    public void record(Exchange exchange) {
        save(subscription(exchange), "active");
    }

    private void save(Subscription s, String status) {
        store.save(new SubscriptionStore.Stored(s.name, s.platform, s.connectionId, s.eventSource, s.eventBusName,
                s.ruleName, s.ruleArn, s.targetId, s.targetArn, s.request, status, null));
    }

    /** Route step: 201 when anything was created or changed, 200 when everything already existed. */
    public void answer(Exchange exchange) {
        Subscription s = subscription(exchange);
        boolean nothingNew = s.resources.values().stream().allMatch(v -> v.equals(EXISTING) || v.equals(SKIPPED));
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, nothingNew ? 200 : 201);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            exchange.getIn().setBody(json.writeValueAsString(describe(s)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Object> describe(Subscription s) {
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("id", s.connectionId);
        if (s.connectionStatus != null) {
            connection.put("status", s.connectionStatus);
        }
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", s.ruleName);
        rule.put("arn", s.ruleArn);
        rule.put("eventBusName", s.eventBusName);
        rule.put("eventPattern", readTree(eventPattern(s)));
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("id", s.targetId);
        target.put("arn", s.targetArn);
        target.put("retryPolicy", Map.of("maximumEventAgeSeconds", s.maximumEventAgeSeconds,
                "maximumRetryAttempts", s.maximumRetryAttempts));
        target.put("deadLetterArn", s.deadLetterArn);
        if (s.fifo()) {
            target.put("messageGroupId", s.messageGroupId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", s.name);
        body.put("platform", s.platform);
        body.put("connection", connection);
        if (s.platform.equals("genesys")) {
            body.put("eventSource", s.eventSource);
        }
        body.put("rule", rule);
        body.put("target", target);
        body.put("resources", s.resources);
        body.put("existing", s.resources.entrySet().stream().filter(e -> e.getValue().equals(EXISTING))
                .map(Map.Entry::getKey).toList());
        if (!s.notes.isEmpty()) {
            body.put("notes", s.notes);
        }
        return body;
    }

    /**
     * Route step (the subscription's exception handler): audit the failed step and make the failure the problem
     * to answer. A failed first step is answered like any platform failure (409 stays 409 ...); a later one is a
     * 502. Either way the problem names the {@code step} and what exists ({@code created}); a subscription with
     * resources left behind is recorded as incomplete, so a DELETE can remove them.
     */
    public void stepFailed(Exchange exchange) {
        Subscription s = exchange.getProperty(SUBSCRIPTION, Subscription.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (s == null || s.step == null) {
            return; // failed before any step: answered as it is
        }
        String what = describe(failure);
        ProblemException problem;
        if (s.created().isEmpty()) {
            problem = problems.toProblem(failure instanceof SdkException || failure instanceof TargetRefusedException
                    ? ProblemException.badGateway(what) : failure);
        } else {
            problem = new ProblemException(502, "Subscription incomplete", "Step " + s.step + " failed: " + what
                    + ". Already exists: " + s.created().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            save(s, "incomplete");
        }
        problem.with("step", s.step).with("created", s.created());
        audit.record(stepRecord(exchange, s, switch (s.step) {
                    case "connection" -> s.name;
                    case "rule" -> s.ruleName;
                    case "queuePolicy" -> s.targetArn;
                    default -> s.targetId;
                })
                .failure(upstreamStatus(failure), what)
                .payload(Map.of("name", s.name, "ruleName", s.ruleName, "created", s.created())));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, problem);
    }

    static String describe(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().serviceName() + " answered " + aws.statusCode() + " "
                    + aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        if (failure instanceof SdkException sdk) {
            return "AWS could not be reached: " + sdk.getMessage();
        }
        return failure == null ? "unknown failure" : failure.getMessage();
    }

    static Integer upstreamStatus(Throwable failure) {
        if (failure instanceof UpstreamException upstream) {
            return upstream.status();
        }
        if (failure instanceof AwsServiceException aws) {
            return aws.statusCode();
        }
        return null;
    }

    Subscription subscription(Exchange exchange) {
        return exchange.getProperty(SUBSCRIPTION, Subscription.class);
    }

    Subscription start(Exchange exchange, String step) {
        Subscription s = subscription(exchange);
        s.step = step;
        s.stepStarted = System.nanoTime();
        return s;
    }

    static AuditRecord stepRecord(Exchange exchange, Subscription s, String target) {
        return AuditRecord.of(exchange, "events", "subscription." + s.step).target(target)
                .latencyMs((System.nanoTime() - s.stepStarted) / 1_000_000);
    }

    JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
