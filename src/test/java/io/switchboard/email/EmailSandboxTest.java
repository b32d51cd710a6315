package io.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.platform.audit.AuditEntry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.test.Api;
import io.switchboard.test.SwitchboardTest;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The README's email walk-through against the sandbox's simulated CXone (config/sandbox): real numbers
 * from its delivery reports (20 items, 2 bounced, 3 failed), the three failed deliveries retried, and the
 * channel answers.
 */
@SwitchboardTest
@TestPropertySource(properties = {
        "switchboard.sandbox.simulate-upstreams=true",
        "switchboard.sandbox.simulator-port=0"
})
class EmailSandboxTest {

    @LocalServerPort
    int port;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    AuditLog audit;

    Api api;

    @BeforeEach
    void api() {
        api = new Api(port);
    }

    @Test
    void should_show_the_sandbox_report_numbers_and_retry_its_failed_deliveries() {
        producer.requestBody("direct:email-poll-reports", (Object) null);

        JsonNode summary = api.get("/api/email/delivery/summary").json();
        assertThat(summary.path("items").asLong()).isEqualTo(20);
        assertThat(summary.path("bounces").asLong()).isEqualTo(2);
        assertThat(summary.path("bounceRate").asDouble()).isEqualTo(10.0);
        assertThat(summary.path("failed").asLong()).isEqualTo(3);
        assertThat(summary.path("delivered").asLong()).isEqualTo(15);
        assertThat(summary.path("pages").asInt()).isEqualTo(3);

        await().atMost(Duration.ofSeconds(30)).until(() -> retried().size() == 3);
        assertThat(retried()).containsExactlyInAnyOrder("sandbox-msg-0007", "sandbox-msg-0014", "sandbox-msg-0019");
    }

    private Set<String> retried() {
        return audit.find("email", "delivery.retry", null, 50).stream()
                .filter(e -> e.outcome().equals(AuditEntry.SUCCESS)).map(AuditEntry::targetId)
                .collect(Collectors.toSet());
    }

    @Test
    void should_answer_the_channel_walk_through() {
        String channel = """
                {"name":"%s","type":"smtp","smtpSettings":{"server":"smtp.relay.example.com","port":587,
                 "username":"api-user","password":"sandbox-relay-password","tlsEnabled":true,"authMechanism":"LOGIN"}}""";

        Api.Response created = api.post("/api/email/channels", channel.formatted("prod-smtp-relay"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("channel").path("status").asText()).isEqualTo("active");
        assertThat(created.json().path("test").path("success").asBoolean()).isTrue();
        assertThat(created.json().path("test").path("statusCode").asInt()).isEqualTo(250);

        Api.Response unreachable = api.post("/api/email/channels", channel.formatted("unreachable-relay"));
        assertThat(unreachable.status()).isEqualTo(201);
        assertThat(unreachable.json().path("channel").path("id").asText()).isEqualTo("ch-unreachable-relay");
        assertThat(unreachable.json().path("test").path("success").asBoolean()).isFalse();
        assertThat(unreachable.json().path("test").path("errorCodes").get(0).asText()).isEqualTo("421");

        Api.Response conflict = api.post("/api/email/channels", channel.formatted("existing-channel"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().path("detail").asText()).contains("already exists");

        Api.Response dryRun = api.post("/api/email/smtp-test",
                "{\"server\":\"smtp.relay.example.com\",\"port\":587,\"tlsEnabled\":true}");
        assertThat(dryRun.status()).isEqualTo(200);
        assertThat(dryRun.json().path("valid").asBoolean()).isTrue();
    }
}
