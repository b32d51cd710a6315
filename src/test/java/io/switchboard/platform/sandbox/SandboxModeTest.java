package io.switchboard.platform.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.platform.upstream.Upstream;
import io.switchboard.test.Api;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sandbox mode as {@code mvn spring-boot:run} starts it (on free ports here): the embedded SQS server
 * with every queue and its dead-letter queue, the database migrated, and the simulated platforms
 * answering Switchboard's real upstream calls, token included.
 */
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "switchboard.sandbox.sqs-port=0",
        "switchboard.sandbox.simulator-port=0",
        "email.retry.wait-time-seconds=1", // as SwitchboardTest's contexts: see there
        "spring.main.register-shutdown-hook=false",
        "spring.datasource.url=jdbc:h2:mem:sandbox-${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1"})
class SandboxModeTest {

    @LocalServerPort
    int port;

    @Autowired
    SqsClient sqs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ProducerTemplate producer;

    @Test
    void should_create_every_queue_with_its_dead_letter_queue() {
        List<String> queues = sqs.listQueues().queueUrls().stream().map(url -> url.substring(url.lastIndexOf('/') + 1)).toList();
        assertThat(queues).contains("switchboard-events", "switchboard-events-dlq",
                "switchboard-email-retry", "switchboard-email-retry-dlq");
        String events = sqs.getQueueUrl(b -> b.queueName("switchboard-events")).queueUrl();
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(events).attributeNamesWithStrings("RedrivePolicy"))
                .attributesAsStrings().get("RedrivePolicy")).contains("switchboard-events-dlq");
    }

    @Test
    void should_migrate_the_database() {
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log").query(Long.class).single()).isNotNull();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dead_letters").query(Long.class).single()).isNotNull();
    }

    @Test
    void should_answer_upstream_calls_from_the_simulated_platforms() {
        Exchange cxone = producer.send(Upstream.CXONE, e -> {
            e.getIn().setHeader(Upstream.PATH, "/api/v1/email/channels");
            e.getIn().setBody(Map.of("name", "sandbox-relay", "type", "smtp"));
        });
        assertThat(cxone.getException()).isNull();
        assertThat(cxone.getMessage().getHeader(Upstream.STATUS)).isEqualTo(201);
        assertThat(cxone.getMessage().getBody(String.class)).contains("sandbox-relay");

        Exchange genesys = producer.send(Upstream.GENESYS, e -> {
            e.getIn().setHeader(Upstream.PATH, "/api/v2/outbound/integrations");
            e.getIn().setBody(Map.of("name", "sandbox-integration", "type", "webhook"));
        });
        assertThat(genesys.getException()).isNull();
        assertThat(genesys.getMessage().getHeader(Upstream.STATUS)).isEqualTo(201);
    }

    @Test
    void should_report_up_and_answer_the_sandbox_key() {
        Api api = new Api(port);
        // health is DOWN until every SQS consumer has polled once (NOTES.md), a moment after start-up
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.send("GET", "/actuator/health", null, Map.of()).json().path("status").asText().equals("UP"));
        assertThat(api.send("GET", "/api/audit", null, Map.of("X-API-Key", "sandbox-key")).status()).isEqualTo(200);
    }
}
