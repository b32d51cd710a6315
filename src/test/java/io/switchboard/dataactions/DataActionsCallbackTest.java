package io.switchboard.dataactions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.audit.AuditEntry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.deadletter.DeadLetter;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The data_action.created callback: its fields, off the request thread, retried, then a dead letter. */
class DataActionsCallbackTest extends IntegrationTestBase {

    static final WebhookReceiver WEBHOOK = new WebhookReceiver();
    static final int MAX_ATTEMPTS = 3;
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void webhook(DynamicPropertyRegistry registry) {
        registry.add("data-actions.webhook-url", WEBHOOK::url);
        registry.add("data-actions.callback.max-attempts", () -> MAX_ATTEMPTS);
        registry.add("data-actions.callback.initial-delay", () -> "PT0.05S");
        registry.add("data-actions.callback.max-delay", () -> "PT0.2S");
    }

    @Autowired
    AuditLog audit;

    @Autowired
    DeadLetters deadLetters;

    @Autowired
    CallbackOutbox outbox;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void cxoneCreates() {
        WEBHOOK.reset();
        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v2/data-actions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(DataActionsCreateTest.CREATED)));
    }

    @AfterEach
    void openTheGate() {
        WEBHOOK.open();
    }

    private Api.Response create(String correlationId) {
        return api.send("POST", "/api/data-actions", DataActionsCreateTest.VALID,
                Map.of("X-API-Key", Api.KEY, "Content-Type", "application/json", "X-Correlation-ID", correlationId));
    }

    private List<WebhookReceiver.Received> callbacksFor(String correlationId) {
        return WEBHOOK.received().stream().filter(r -> correlationId.equals(r.correlationId())).toList();
    }

    private List<DeadLetter> deadLettersFor(String correlationId) {
        return deadLetters.list(DataActionCallbacks.SOURCE, 500).stream()
                .filter(letter -> letter.payload().path("correlation_id").asText().equals(correlationId))
                .toList();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void should_post_data_action_created_with_the_reference_fields_to_the_webhook() throws Exception {
        Api.Response response = create("cid-callback-1");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> callbacksFor("cid-callback-1").size() == 1);
        WebhookReceiver.Received callback = callbacksFor("cid-callback-1").get(0);
        assertThat(callback.method()).isEqualTo("POST");
        assertThat(callback.contentType()).startsWith("application/json");
        assertThat(callback.headerNames()).as("nothing of Switchboard's own bookkeeping")
                .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("switchboard"));
        JsonNode event = json(callback.body());
        assertThat(event.fieldNames()).toIterable()
                .containsExactly("event", "timestamp", "status", "latency_ms", "correlation_id");
        assertThat(event.path("event").asText()).isEqualTo("data_action.created");
        assertThat(event.path("status").asInt()).isEqualTo(201);
        assertThat(event.path("correlation_id").asText()).isEqualTo("cid-callback-1");
        assertThat(event.path("latency_ms").isIntegralNumber()).isTrue();
        AuditEntry audited = audit.find("data-actions", "data-action.create", null, 10).stream()
                .filter(entry -> "cid-callback-1".equals(entry.correlationId())).findFirst().orElseThrow();
        assertThat(event.path("latency_ms").asLong()).isEqualTo(audited.latencyMs());
        assertThat(audited.payload().path("callback").asText()).isEqualTo("queued");
        Instant timestamp = Instant.parse(event.path("timestamp").asText());
        assertThat(timestamp).isBeforeOrEqualTo(audited.timestamp());
    }

    @Test
    void should_answer_201_while_the_callback_is_still_waiting_on_the_webhook() {
        WEBHOOK.close();
        NotifyBuilder callbackDone = new NotifyBuilder(camel).fromRoute("data-actions-callback").whenDone(1).create();

        Api.Response response = create("cid-callback-slow");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(callbackDone.matches()).as("callback finished before the 201 was answered").isFalse();
        await().atMost(Duration.ofSeconds(20)).until(() -> WEBHOOK.held() == 1);
        WEBHOOK.open();
        assertThat(callbackDone.matches(20, TimeUnit.SECONDS)).isTrue();
        assertThat(callbacksFor("cid-callback-slow")).hasSize(1);
        assertThat(deadLettersFor("cid-callback-slow")).isEmpty();
    }

    @Test
    void should_dead_letter_a_callback_that_keeps_failing_while_the_create_still_returns_201() throws Exception {
        WEBHOOK.answer(500);
        WEBHOOK.close();
        NotifyBuilder callbackDone = new NotifyBuilder(camel).fromRoute("data-actions-callback").whenDone(1).create();

        Api.Response response = create("cid-callback-failing");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().path("id").asText()).isEqualTo("da-1");
        assertThat(callbackDone.matches()).isFalse();
        assertThat(deadLettersFor("cid-callback-failing")).isEmpty();
        WEBHOOK.open();

        await().atMost(Duration.ofSeconds(20)).until(() -> deadLettersFor("cid-callback-failing").size() == 1);
        DeadLetter letter = deadLettersFor("cid-callback-failing").get(0);
        assertThat(letter.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(letter.reason()).contains("data_action.created").contains("500");
        assertThat(letter.payload().path("event").asText()).isEqualTo("data_action.created");
        assertThat(callbacksFor("cid-callback-failing")).hasSize(MAX_ATTEMPTS);
        AuditEntry audited = audit.find("data-actions", "data-action.create", null, 10).stream()
                .filter(entry -> "cid-callback-failing".equals(entry.correlationId())).findFirst().orElseThrow();
        assertThat(audited.outcome()).isEqualTo("success");
        assertThat(audited.httpStatus()).isEqualTo(201);
    }

    @Test
    void should_redrive_a_dead_lettered_callback_to_the_webhook() throws Exception {
        WEBHOOK.answer(503);
        assertThat(create("cid-callback-redrive").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLettersFor("cid-callback-redrive").size() == 1);
        DeadLetter letter = deadLettersFor("cid-callback-redrive").get(0);
        String original = callbacksFor("cid-callback-redrive").get(0).body();
        WEBHOOK.reset();

        Api.Response redrive = api.post("/api/dead-letters/" + letter.id() + "/redrive", "");

        assertThat(redrive.status()).as(redrive.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> callbacksFor("cid-callback-redrive").size() == 1);
        assertThat(json(callbacksFor("cid-callback-redrive").get(0).body())).isEqualTo(json(original));
        assertThat(deadLettersFor("cid-callback-redrive")).isEmpty();
    }

    @Test
    void should_not_call_the_webhook_when_the_create_fails() {
        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v2/data-actions")).withHeader("X-Correlation-ID",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("cid-callback-conflict"))
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"exists\"}")));

        assertThat(create("cid-callback-conflict").status()).isEqualTo(409);
        assertThat(create("cid-callback-marker").status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).until(() -> callbacksFor("cid-callback-marker").size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.size() == 0);
        assertThat(callbacksFor("cid-callback-conflict")).isEmpty();
    }

    @Test
    void should_answer_503_naming_the_created_data_action_when_its_callback_cannot_be_recorded() {
        jdbc.sql("CREATE TRIGGER refuse_callback_writes BEFORE INSERT ON data_action_callbacks FOR EACH ROW CALL '"
                + RefuseWrites.class.getName() + "'").update();
        Api.Response response;
        try {
            response = create("cid-callback-unrecorded");
        } finally {
            jdbc.sql("DROP TRIGGER refuse_callback_writes").update();
        }

        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("dataActionId").asText()).isEqualTo("da-1");
        assertThat(problem.path("correlationId").asText()).isEqualTo("cid-callback-unrecorded");
        assertThat(problem.path("callbackScheduled").asBoolean(true)).isFalse();
        assertThat(problem.path("detail").asText())
                .contains("CXone created data action da-1", "could not record it or schedule its data_action.created callback")
                .doesNotContain("42501", "permission denied", "SQLException");
        assertThat(problem.path("reference").asText()).isNotBlank();
        // the audit says what happened: a failed attempt (503) whose CXone answer was 201, and no success record
        List<AuditEntry> records = audit.find("data-actions", "data-action.create", null, 50).stream()
                .filter(entry -> "cid-callback-unrecorded".equals(entry.correlationId())).toList();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).outcome()).isEqualTo(AuditEntry.FAILURE);
        assertThat(records.get(0).httpStatus()).isEqualTo(503);
        assertThat(records.get(0).payload().path("upstreamStatus").asInt()).isEqualTo(201);

        // Switchboard keeps no record to deduplicate with: sent again, the create goes to CXone, which decides (this
        // stub refuses the duplicate name, as CXone does, with 409); there is still no callback for it
        upstream().stubFor(post(urlPathEqualTo("/cxone/api/v2/data-actions")).atPriority(1)
                .withHeader("X-Correlation-ID", com.github.tomakehurst.wiremock.client.WireMock.equalTo("cid-callback-unrecorded"))
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"A data action named FetchExternalInventory exists\"}")));
        Api.Response retry = create("cid-callback-unrecorded");
        assertThat(retry.status()).as(retry.body()).isEqualTo(409);
        upstream().verify(2, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathEqualTo("/cxone/api/v2/data-actions")).withHeader("X-Correlation-ID",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("cid-callback-unrecorded")));

        assertThat(create("cid-callback-after-refusal").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> callbacksFor("cid-callback-after-refusal").size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.size() == 0);
        assertThat(callbacksFor("cid-callback-unrecorded")).isEmpty();
    }
}
