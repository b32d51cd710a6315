package io.switchboard.subscriptions;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The sandbox simulator answers every call a subscription makes, in the shape the AWS SDK parses (plain JUnit,
 * the simulator's mappings under config/sandbox, the project root as working directory).
 */
class SubscriptionSandboxTest {

    private static WireMockServer simulator;
    private static EventBridgeClient eventBridge;
    private static SqsClient sqs;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        simulator = new WireMockServer(options().dynamicPort().usingFilesUnderDirectory("config/sandbox"));
        simulator.start();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"));
        eventBridge = EventBridgeClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(URI.create(simulator.baseUrl() + "/aws/eventbridge")).build();
        sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(URI.create(simulator.baseUrl() + "/aws/sqs")).build();
    }

    @AfterAll
    static void stop() {
        eventBridge.close();
        sqs.close();
        simulator.stop();
    }

    @Test
    void should_answer_the_queue_policy_calls() {
        String url = sqs.getQueueUrl(b -> b.queueName("switchboard-events").queueOwnerAWSAccountId("123456789012")).queueUrl();
        assertThat(url).isEqualTo("https://sqs.us-east-1.amazonaws.com/123456789012/switchboard-events");
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.POLICY)).attributes()).isEmpty();
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, "{}")));
    }

    @Test
    void should_answer_the_rule_and_target_calls_of_create_and_delete() {
        assertThatThrownBy(() -> eventBridge.describeRule(b -> b.name("r").eventBusName("cxone-bus")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(eventBridge.putRule(b -> b.name("r").eventBusName("cxone-bus").eventPattern("{}")).ruleArn()).endsWith("rule/r");
        assertThat(eventBridge.listTargetsByRule(b -> b.rule("r")).targets()).isEmpty();
        assertThat(eventBridge.putTargets(b -> b.rule("r").targets(t -> t.id("r").arn("arn:aws:sqs:us-east-1:1:q")))
                .failedEntryCount()).isZero();
        assertThat(eventBridge.removeTargets(b -> b.rule("r").ids("r")).failedEntryCount()).isZero();
        eventBridge.deleteRule(b -> b.name("r"));
    }

    @Test
    void should_answer_the_genesys_partner_source_and_bus_calls() {
        String source = eventBridge.listEventSources(b -> b.namePrefix("aws.partner/genesys.com")).eventSources().get(0).name();
        assertThat(source).startsWith("aws.partner/genesys.com/cloud/").endsWith("/switchboard-genesys");
        assertThat(eventBridge.createEventBus(b -> b.name(source).eventSourceName(source)).eventBusArn()).endsWith(source);
    }

    @Test
    void should_answer_the_platform_connection_calls() throws Exception {
        assertThat(send("DELETE", "/cxone/api/v2/platform/eventbridgeconnections/abc", null).statusCode()).isEqualTo(204);
        HttpResponse<String> created = send("POST", "/genesys/api/v2/integrations",
                "{\"name\":\"g\",\"integrationType\":{\"id\":\"amazon-eventbridge-source\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).contains("amazon-eventbridge-source").contains("\"id\":\"");
        assertThat(send("PUT", "/genesys/api/v2/integrations/abc/config/current",
                "{\"name\":\"g\",\"version\":1,\"properties\":{\"awsAccountId\":\"123456789012\"}}").statusCode()).isEqualTo(200);
        assertThat(send("PATCH", "/genesys/api/v2/integrations/abc", "{\"intendedState\":\"ENABLED\"}").body())
                .contains("ENABLED");
        assertThat(send("DELETE", "/genesys/api/v2/integrations/abc", null).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer sandbox")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
