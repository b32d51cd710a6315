package io.switchboard.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.zip.ZipFile;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The packaged jar as a deployment runs it: profile {@code live}, settings from environment variables only,
 * started in a directory without {@code config/} or {@code routes/}. It becomes ready on the management port
 * and delivers an event from SQS to an http sink, with the schemas and routes built into the jar. (Which folder
 * replaces which built-in set is DeploymentLayoutTest's business; every in-process test runs with the repository's
 * config/ and routes/ folders.)
 */
class JarFromAnywhereIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workingDirectory;

    SQSRestServer sqsServer;
    SqsClient sqs;
    String sqsEndpoint;
    WireMockServer upstreams;
    LiveSwitchboard switchboard;

    @BeforeEach
    void servers() {
        sqsServer = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        sqsEndpoint = "http://127.0.0.1:" + sqsServer.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
        sqs.createQueue(b -> b.queueName("switchboard-events"));
        sqs.createQueue(b -> b.queueName("switchboard-email-retry"));
        upstreams = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        upstreams.start();
        upstreams.stubFor(any(urlPathMatching("/sinks/.*")).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() throws Exception {
        if (switchboard != null) {
            switchboard.close();
        }
        upstreams.stop();
        sqs.close();
        sqsServer.stopAndWait();
    }

    @Test
    void should_start_from_an_empty_directory_with_environment_settings_and_deliver_an_event_to_a_sink()
            throws Exception {
        assertThat(workingDirectory).isEmptyDirectory();
        switchboard = new LiveSwitchboard("anywhere", workingDirectory, upstreams.baseUrl(), sqsEndpoint)
                .startJar(LiveSwitchboard.jar()).awaitReady();

        String id = publish();
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> upstreams.verify(
                postRequestedFor(urlEqualTo("/sinks/crm")).withHeader("X-Event-Id", equalTo(id))));

        // actuator lives on the management port only: the API port has no health, details or metrics
        assertThat(switchboard.get(switchboard.managementPort, "/actuator/health").body()).contains("\"components\"");
        assertThat(switchboard.get(switchboard.managementPort, "/actuator/prometheus").body())
                .contains("switchboard_events_received");
        assertThat(switchboard.get(switchboard.apiPort, "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(switchboard.get(switchboard.apiPort, "/actuator/prometheus").statusCode()).isEqualTo(404);
        assertThat(workingDirectory.resolve("config")).doesNotExist();
        assertThat(workingDirectory.resolve("routes")).doesNotExist();
    }

    @Test
    void should_carry_no_sandbox_servers_and_no_openshift_models_in_the_packaged_jar() throws Exception {
        try (ZipFile jar = new ZipFile(LiveSwitchboard.jar().toFile())) {
            var libraries = jar.stream().map(entry -> entry.getName())
                    .filter(name -> name.startsWith("BOOT-INF/lib/")).toList();
            assertThat(libraries).isNotEmpty()
                    .noneMatch(name -> name.contains("wiremock"))
                    .noneMatch(name -> name.contains("elasticmq"))
                    .noneMatch(name -> name.contains("pekko"))
                    .noneMatch(name -> name.contains("scala-library"))
                    .noneMatch(name -> name.contains("openshift"))
                    .anyMatch(name -> name.contains("kubernetes-client"));
            assertThat(jar.getEntry("BOOT-INF/classes/io/switchboard/platform/sandbox/SandboxEnvironment.class")).isNull();
            assertThat(jar.getEntry("BOOT-INF/classes/config/schemas/event-envelope.json")).isNotNull();
            assertThat(jar.getEntry("BOOT-INF/classes/routes/event-sinks.yaml")).isNotNull();
            assertThat(jar.getEntry("BOOT-INF/classes/config/application-live.yaml")).isNotNull();
        }
    }

    String publish() throws Exception {
        String id = UUID.randomUUID().toString();
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", "Interaction.Lifecycle.StageChanged");
        event.put("source", "com.nice.cxone.interactions");
        event.put("time", "2025-01-15T10:00:00Z");
        event.put("region", "us-east-1");
        ObjectNode detail = event.putObject("detail");
        detail.put("interaction.id", UUID.randomUUID().toString());
        detail.put("stage", "Connected");
        detail.put("sequence", 1);
        String queueUrl = sqs.getQueueUrl(b -> b.queueName("switchboard-events")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(event.toString()));
        return id;
    }
}
