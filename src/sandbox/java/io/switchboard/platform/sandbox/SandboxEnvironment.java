package io.switchboard.platform.sandbox;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Sandbox mode, the default: before the application context is built, start an embedded SQS server
 * (ElasticMQ) with Switchboard's queues and their dead-letter queues, and the simulated CXone, Genesys
 * and EventBridge APIs (WireMock, mappings under {@code config/sandbox/}), then point the {@code aws.*},
 * {@code cxone.*} and {@code genesys.*} settings at them. Profile {@code live} turns all of it off.
 *
 * <p>Runs as an {@link EnvironmentPostProcessor} because the servers' ports must be known before any
 * Camel endpoint URI is resolved. {@link SandboxServers} stops them when the context closes.
 */
public class SandboxEnvironment implements EnvironmentPostProcessor, Ordered {

    public static final String INSTANCE_ID_KEY = "switchboard.sandbox.instance-id";
    static final String SANDBOX_ACCESS_KEY = "sandbox";

    /** Servers started per application context, keyed by {@link #INSTANCE_ID_KEY}. */
    static final Map<String, Running> RUNNING = new ConcurrentHashMap<>();

    record Running(SQSRestServer sqs, WireMockServer simulator) {
        void stop() {
            if (simulator != null) {
                simulator.stop();
            }
            if (sqs != null) {
                sqs.stopAndWait();
            }
        }
    }

    private final Log log;

    public SandboxEnvironment(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(SandboxEnvironment.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after config files and profiles are known
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (env.acceptsProfiles(Profiles.of("live"))
                || !env.getProperty("switchboard.sandbox.enabled", Boolean.class, true)
                || env.getPropertySources().contains("switchboard-sandbox")) {
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>();
        String instanceId = UUID.randomUUID().toString();
        props.put(INSTANCE_ID_KEY, instanceId);
        SQSRestServer sqs = null;
        WireMockServer simulator = null;
        try {
            if (env.getProperty("switchboard.sandbox.embedded-sqs", Boolean.class, true)) {
                sqs = startSqs(env, props);
            }
            if (env.getProperty("switchboard.sandbox.simulate-upstreams", Boolean.class, true)) {
                simulator = startSimulator(env, props);
            }
        } catch (RuntimeException e) {
            new Running(sqs, simulator).stop();
            throw e;
        }
        RUNNING.put(instanceId, new Running(sqs, simulator));
        env.getPropertySources().addFirst(new MapPropertySource("switchboard-sandbox", props));
    }

    private SQSRestServer startSqs(ConfigurableEnvironment env, Map<String, Object> props) {
        int port = env.getProperty("switchboard.sandbox.sqs-port", Integer.class, 9324);
        SQSRestServer server = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
        int actualPort = server.waitUntilStarted().localAddress().getPort();
        String endpoint = "http://127.0.0.1:" + actualPort;
        props.put("aws.endpoint", endpoint);
        props.put("aws.access-key-id", SANDBOX_ACCESS_KEY);
        props.put("aws.secret-access-key", SANDBOX_ACCESS_KEY);
        String region = env.getProperty("aws.region", "us-east-1");
        try (SqsClient client = SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SANDBOX_ACCESS_KEY, SANDBOX_ACCESS_KEY)))
                .build()) {
            for (String queue : new String[] {
                    env.getProperty("events.queue", "switchboard-events"),
                    env.getProperty("email.retry-queue", "switchboard-email-retry")}) {
                createWithDeadLetterQueue(client, queue);
            }
        }
        log.info("Sandbox: embedded SQS server (ElasticMQ) at " + endpoint);
        return server;
    }

    private static void createWithDeadLetterQueue(SqsClient client, String queue) {
        boolean fifo = queue.endsWith(".fifo");
        String dlq = fifo ? queue.substring(0, queue.length() - 5) + "-dlq.fifo" : queue + "-dlq";
        Map<QueueAttributeName, String> dlqAttributes = new LinkedHashMap<>();
        if (fifo) {
            dlqAttributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String dlqUrl = client.createQueue(b -> b.queueName(dlq).attributes(dlqAttributes)).queueUrl();
        String dlqArn = client.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>(dlqAttributes);
        attributes.put(QueueAttributeName.REDRIVE_POLICY,
                "{\"maxReceiveCount\":\"10\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}");
        client.createQueue(b -> b.queueName(queue).attributes(attributes));
    }

    private WireMockServer startSimulator(ConfigurableEnvironment env, Map<String, Object> props) {
        int port = env.getProperty("switchboard.sandbox.simulator-port", Integer.class, 8089);
        String dir = env.getProperty("switchboard.sandbox.simulator-dir", "config/sandbox");
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .port(port)
                .usingFilesUnderDirectory(dir)
                .disableRequestJournal()
                .gzipDisabled(true) // Jetty's gzip rewrites ETags ("v1--gzip"), which would break If-Match
                .containerThreads(20));
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        props.put("cxone.base-url", base + "/cxone");
        props.put("cxone.token-url", base + "/cxone/oauth/token");
        props.put("cxone.client-id", "sandbox-cxone");
        props.put("cxone.client-secret", "sandbox-cxone-secret");
        props.put("genesys.base-url", base + "/genesys");
        props.put("genesys.token-url", base + "/genesys/oauth/token");
        props.put("genesys.client-id", "sandbox-genesys");
        props.put("genesys.client-secret", "sandbox-genesys-secret");
        props.put("aws.eventbridge-endpoint", base + "/aws/eventbridge");
        props.put("aws.sqs-policy-endpoint", base + "/aws/sqs");
        log.info("Sandbox: simulated CXone, Genesys Cloud, EventBridge and SQS queue-policy APIs at " + base
                + " (mappings under " + dir + "/mappings)");
        return server;
    }
}
