package io.switchboard.dataactions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.SwitchboardApplication;
import io.switchboard.test.Api;
import io.switchboard.test.TestUpstreams;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A {@code data_action.created} callback outlives the process that created it: Switchboard stops while the
 * webhook is unreachable, and the next Switchboard on the same database sends the callback from the outbox.
 */
class DataActionsCallbackRestartTest {

    static final WebhookReceiver WEBHOOK = new WebhookReceiver();

    private ConfigurableApplicationContext running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static ConfigurableApplicationContext start(String database, String webhookUrl) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("switchboard.sandbox.sqs-port", "0");
        properties.put("switchboard.sandbox.simulate-upstreams", "false");
        properties.put("spring.datasource.url", database);
        properties.put("switchboard.api-keys", "tester:" + Api.KEY);
        properties.put("data-actions.webhook-url", webhookUrl);
        properties.put("data-actions.callback.max-attempts", "1000");
        properties.put("data-actions.callback.initial-delay", "PT0.2S");
        properties.put("data-actions.callback.max-delay", "PT0.5S");
        properties.put("data-actions.callback.poll-period", "PT0.2S");
        properties.put("data-actions.callback.claim-timeout", "PT3S");
        properties.put("camel.main.shutdown-timeout", "1");
        properties.put("email.reports.initial-delay", "PT1H");
        String upstreams = TestUpstreams.baseUrl();
        properties.put("cxone.base-url", upstreams + "/cxone");
        properties.put("cxone.token-url", upstreams + "/cxone/oauth/token");
        properties.put("cxone.client-id", "test-cxone");
        properties.put("cxone.client-secret", "cxone-canary-secret-3141");
        properties.put("genesys.base-url", upstreams + "/genesys");
        properties.put("genesys.token-url", upstreams + "/genesys/oauth/token");
        properties.put("genesys.client-id", "test-genesys");
        properties.put("genesys.client-secret", "genesys-canary-secret-2718");
        // as command-line arguments: they outrank config/application.yaml
        return new SpringApplicationBuilder(SwitchboardApplication.class)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void should_send_a_callback_recorded_before_a_restart_after_it() throws Exception {
        String database = "jdbc:h2:file:./target/callback-restart-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        TestUpstreams.server().stubFor(post(urlPathEqualTo("/cxone/api/v2/data-actions")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json").withBody(DataActionsCreateTest.CREATED)));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once the socket is closed
        }

        // the first Switchboard: the create succeeds, the webhook is unreachable, then the process goes away
        running = start(database, "http://127.0.0.1:" + closedPort + "/hooks");
        Api.Response created = new Api(port(running)).send("POST", "/api/data-actions", DataActionsCreateTest.VALID,
                Map.of("X-API-Key", Api.KEY, "Content-Type", "application/json", "X-Correlation-ID", "cid-restart"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        CallbackOutbox outbox = running.getBean(CallbackOutbox.class);
        assertThat(outbox.size()).isEqualTo(1);
        running.close();
        running = null;
        assertThat(WEBHOOK.received()).isEmpty();

        // the next Switchboard on the same database delivers it once the dead instance's claim has expired
        running = start(database, WEBHOOK.url());
        await().atMost(Duration.ofSeconds(60)).until(() -> !WEBHOOK.received().isEmpty());
        WebhookReceiver.Received callback = WEBHOOK.received().get(0);
        assertThat(callback.correlationId()).isEqualTo("cid-restart");
        assertThat(callback.body()).contains("\"event\":\"data_action.created\"").contains("\"correlation_id\":\"cid-restart\"");
        CallbackOutbox after = running.getBean(CallbackOutbox.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> after.size() == 0);
    }
}
