package io.switchboard.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.json.JsonAnswers;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.upstream.Upstream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventSource;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;

/**
 * The Genesys Cloud side of a {@code "platform": "genesys"} subscription. Genesys Cloud delivers to EventBridge
 * through a partner event source that its "Amazon EventBridge Source" integration creates in the AWS account:
 * <ol>
 *   <li>the integration: {@code POST /api/v2/integrations} (type {@code amazon-eventbridge-source}), its
 *       configuration {@code PUT /api/v2/integrations/{id}/config/current} (AWS account, region, event source
 *       suffix, topic filters), then {@code PATCH /api/v2/integrations/{id}} to enable it;</li>
 *   <li>the partner event source it creates: {@code ListEventSources} by name prefix, the one ending in the
 *       subscription's suffix;</li>
 *   <li>the partner event bus: {@code CreateEventBus} named after the source, with {@code EventSourceName}, which
 *       associates (activates) the source. The rule and the target are then made on that bus.</li>
 * </ol>
 * What the public documents leave open is listed in the README (Events: Genesys Cloud's EventBridge integration).
 */
@Component
public class GenesysEventSources {

    static final String INTEGRATIONS_PATH = "/api/v2/integrations";
    static final String INTEGRATION_TYPE = "amazon-eventbridge-source";

    private final EventBridgeClient eventBridge;
    private final SubscriptionsProperties properties;
    private final ObjectMapper json;
    private final AuditLog audit;

    public GenesysEventSources(EventBridgeClient eventBridge, SubscriptionsProperties properties, ObjectMapper json,
                               AuditLog audit) {
        this.eventBridge = eventBridge;
        this.properties = properties;
        this.json = json;
        this.audit = audit;
    }

    /** Route step: {@code POST /api/v2/integrations} creating the integration (disabled until configured). */
    public Map<String, Object> integrationRequest(Exchange exchange) {
        EventSubscriptions.Subscription s = exchange.getProperty(EventSubscriptions.SUBSCRIPTION,
                EventSubscriptions.Subscription.class);
        exchange.getIn().setHeader(Upstream.METHOD, "POST");
        exchange.getIn().setHeader(Upstream.PATH, INTEGRATIONS_PATH);
        return Map.of("name", s.name, "integrationType", Map.of("id", INTEGRATION_TYPE));
    }

    /** Route step: keep the new integration's id. */
    public void integrationCreated(Exchange exchange) {
        EventSubscriptions.Subscription s = exchange.getProperty(EventSubscriptions.SUBSCRIPTION,
                EventSubscriptions.Subscription.class);
        JsonNode integration = JsonAnswers.upstreamObject(json, exchange.getIn(), "the EventBridge integration create");
        s.connectionId = integration.path("id").asText(null);
        s.resources.put("connection", EventSubscriptions.CREATED);
    }

    /** Route step: {@code PUT /api/v2/integrations/{id}/config/current}: where and what Genesys Cloud sends. */
    public Map<String, Object> configRequest(Exchange exchange) {
        EventSubscriptions.Subscription s = exchange.getProperty(EventSubscriptions.SUBSCRIPTION,
                EventSubscriptions.Subscription.class);
        exchange.getIn().setHeader(Upstream.METHOD, "PUT");
        exchange.getIn().setHeader(Upstream.PATH, INTEGRATIONS_PATH + "/" + s.connectionId + "/config/current");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("awsAccountId", s.awsAccountId);
        properties.put("awsAccountRegion", s.awsRegion);
        properties.put("eventSourceSuffix", s.eventSourceSuffix);
        properties.put("eventFilter", s.topicFilters);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", s.name);
        config.put("version", 1);
        config.put("properties", properties);
        config.put("advanced", Map.of());
        config.put("notes", "Switchboard subscription " + s.name);
        config.put("credentials", Map.of());
        return config;
    }

    /** Route step: {@code PATCH /api/v2/integrations/{id}} with {@code intendedState: ENABLED}. */
    public Map<String, Object> enableRequest(Exchange exchange) {
        EventSubscriptions.Subscription s = exchange.getProperty(EventSubscriptions.SUBSCRIPTION,
                EventSubscriptions.Subscription.class);
        exchange.getIn().setHeader(Upstream.METHOD, "PATCH");
        exchange.getIn().setHeader(Upstream.PATH, INTEGRATIONS_PATH + "/" + s.connectionId);
        return Map.of("intendedState", "ENABLED");
    }

    /**
     * Route step: find the partner event source the integration created ({@code ListEventSources}), named
     * {@code <genesys-source-prefix>/…/<suffix>}. It appears in the AWS account shortly after the integration is
     * enabled; until then this step fails and a repeated POST picks up where it stopped.
     */
    public void findEventSource(Exchange exchange) {
        EventSubscriptions.Subscription s = exchange.getProperty(EventSubscriptions.SUBSCRIPTION,
                EventSubscriptions.Subscription.class);
        s.step = "eventSource";
        s.stepStarted = System.nanoTime();
        List<EventSource> sources = eventBridge.listEventSources(b -> b.namePrefix(properties.genesysSourcePrefix()))
                .eventSources();
        EventSource source = sources.stream().filter(e -> e.name().endsWith("/" + s.eventSourceSuffix)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no partner event source ending in /" + s.eventSourceSuffix
                        + " under " + properties.genesysSourcePrefix() + " in AWS account " + s.awsAccountId
                        + " yet (" + sources.size() + " Genesys Cloud source(s) seen); Genesys Cloud creates it once"
                        + " the integration is enabled: repeat the POST in a minute"));
        s.eventSource = source.name();
        s.resources.put("eventSource", EventSubscriptions.EXISTING);
        audit.record(EventSubscriptions.stepRecord(exchange, s, source.name()).success(200)
                .payload(Map.of("name", s.name, "eventSource", source.name(), "state", String.valueOf(source.stateAsString()))));
    }

    /** Route step: the partner event bus for the source ({@code CreateEventBus} with {@code EventSourceName}). */
    public void associateBus(Exchange exchange) {
        EventSubscriptions.Subscription s = exchange.getProperty(EventSubscriptions.SUBSCRIPTION,
                EventSubscriptions.Subscription.class);
        s.step = "eventBus";
        s.stepStarted = System.nanoTime();
        try {
            eventBridge.createEventBus(b -> b.name(s.eventSource).eventSourceName(s.eventSource));
            s.resources.put("eventBus", EventSubscriptions.CREATED);
        } catch (ResourceAlreadyExistsException exists) {
            s.resources.put("eventBus", EventSubscriptions.EXISTING);
        }
        s.eventBusName = s.eventSource;
        audit.record(EventSubscriptions.stepRecord(exchange, s, s.eventSource).success(200)
                .payload(Map.of("name", s.name, "eventBusName", s.eventBusName, "outcome", s.resources.get("eventBus"))));
    }
}
