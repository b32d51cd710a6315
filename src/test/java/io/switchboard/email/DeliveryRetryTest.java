package io.switchboard.email;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.switchboard.platform.audit.AuditEntry;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.deadletter.DeadLetter;
import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The retry route on email.retry-queue: POST /api/v1/email/delivery/retry with exponential backoff
 * (here 50 ms doubling to 200 ms, 5 attempts) or after CXone's Retry-After, then a dead letter that a
 * redrive puts back on the queue.
 */
class DeliveryRetryTest extends IntegrationTestBase {

    static final String RETRY = "/cxone/api/v1/email/delivery/retry";

    @Autowired
    SqsClient sqs;

    @Autowired
    DeadLetters deadLetters;

    @Autowired
    AuditLog audit;

    @Value("${email.retry-queue}")
    String queue;

    private String messageId;

    @BeforeEach
    void newMessageId() {
        messageId = "retry-" + UUID.randomUUID();
    }

    private void enqueue(String body) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
    }

    private String body() {
        return "{\"messageId\":\"" + messageId + "\"}";
    }

    private List<ServeEvent> retryCalls() {
        return upstream().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith(RETRY))
                .filter(e -> e.getRequest().getBodyAsString().contains(messageId))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .toList();
    }

    private List<DeadLetter> myDeadLetters() {
        return deadLetters.list(DeliveryRetry.SOURCE, 500).stream()
                .filter(d -> d.rawPayload() != null && d.rawPayload().contains(messageId)).toList();
    }

    private long messagesOnQueue() {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private List<AuditEntry> retryAudit() {
        return audit.find("email", "delivery.retry", null, 500).stream()
                .filter(e -> messageId.equals(e.targetId())).toList();
    }

    private void retryAnswers(int status) {
        upstream().stubFor(post(urlPathEqualTo(RETRY)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(status < 300 ? "{\"status\":\"queued\"}" : "{\"message\":\"retry said " + status + "\"}")));
    }

    @Test
    void should_hand_a_queued_failure_back_to_cxone_and_delete_it() {
        retryAnswers(202);

        enqueue(body());

        await().atMost(Duration.ofSeconds(20)).until(() -> retryCalls().size() == 1);
        upstream().verify(postRequestedFor(urlPathEqualTo(RETRY)).withRequestBody(equalToJson(body())));
        await().atMost(Duration.ofSeconds(10)).until(() -> retryAudit().size() == 1);
        assertThat(retryAudit().get(0).outcome()).isEqualTo("success");
        assertThat(retryAudit().get(0).httpStatus()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesOnQueue() == 0);
        assertThat(myDeadLetters()).isEmpty();
    }

    @Test
    void should_back_off_exponentially_between_attempts() {
        upstream().stubFor(post(urlPathEqualTo(RETRY)).inScenario("down").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("1"));
        upstream().stubFor(post(urlPathEqualTo(RETRY)).inScenario("down").whenScenarioStateIs("1")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("2"));
        upstream().stubFor(post(urlPathEqualTo(RETRY)).inScenario("down").whenScenarioStateIs("2")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("3"));
        upstream().stubFor(post(urlPathEqualTo(RETRY)).inScenario("down").whenScenarioStateIs("3")
                .willReturn(aResponse().withStatus(202).withBody("{}")));

        enqueue(body());

        await().atMost(Duration.ofSeconds(20)).until(() -> retryAudit().size() == 4);
        List<ServeEvent> calls = retryCalls();
        assertThat(calls).hasSize(4);
        // 50 ms, doubling, capped at 200 ms. Camel's collision avoidance varies each delay by up to 15 %, and
        // doubles the varied delay, so the variation compounds: at least 42.5, 72.25 and 122.8 ms. The stub's
        // request log truncates to milliseconds: lower bounds with 10 ms to spare
        long[] minimumGaps = {32, 62, 112};
        for (int i = 1; i < calls.size(); i++) {
            long gap = calls.get(i).getRequest().getLoggedDate().getTime()
                    - calls.get(i - 1).getRequest().getLoggedDate().getTime();
            assertThat(gap).as("wait before attempt %d", i + 1).isGreaterThanOrEqualTo(minimumGaps[i - 1]);
        }
        assertThat(retryAudit().stream().map(AuditEntry::outcome))
                .containsExactlyInAnyOrder("failure", "failure", "failure", "success");
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesOnQueue() == 0);
        assertThat(myDeadLetters()).isEmpty();
    }

    @Test
    void should_dead_letter_after_five_attempts_and_redrive_it_back_onto_the_queue() {
        retryAnswers(503);

        enqueue(body());

        await().atMost(Duration.ofSeconds(20)).until(() -> myDeadLetters().size() == 1);
        assertThat(retryCalls()).hasSize(5);
        DeadLetter letter = myDeadLetters().get(0);
        assertThat(letter.attempts()).isEqualTo(5);
        assertThat(letter.reason()).contains(messageId, "5 attempt", "503");
        assertThat(letter.payload().path("messageId").asText()).isEqualTo(messageId);
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesOnQueue() == 0);
        assertThat(retryAudit()).hasSize(5).allMatch(e -> e.outcome().equals("failure"));

        retryAnswers(202);
        Api.Response redrive = api.post("/api/dead-letters/" + letter.id() + "/redrive", "");
        assertThat(redrive.status()).as(redrive.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> retryCalls().size() == 6);
        await().atMost(Duration.ofSeconds(10)).until(() -> retryAudit().stream()
                .anyMatch(e -> e.outcome().equals("success")));
        assertThat(myDeadLetters()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesOnQueue() == 0);
    }

    @Test
    void should_wait_out_cxones_retry_after_instead_of_the_backoff() {
        upstream().stubFor(post(urlPathEqualTo(RETRY)).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                        .withBody("{\"message\":\"slow down\"}")).willSetStateTo("ok"));
        upstream().stubFor(post(urlPathEqualTo(RETRY)).inScenario("throttled").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(202).withBody("{}")));

        enqueue(body());

        await().atMost(Duration.ofSeconds(20)).until(() -> retryCalls().size() == 2);
        List<ServeEvent> calls = retryCalls();
        long gap = calls.get(1).getRequest().getLoggedDate().getTime() - calls.get(0).getRequest().getLoggedDate().getTime();
        // the backoff here is 50 ms: only the Retry-After explains a wait of three seconds
        assertThat(gap).as("wait before the second attempt").isGreaterThanOrEqualTo(2_990);
        await().atMost(Duration.ofSeconds(10)).until(() -> retryAudit().size() == 2);
        assertThat(retryAudit().stream().map(AuditEntry::outcome)).containsExactlyInAnyOrder("failure", "success");
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesOnQueue() == 0);
        assertThat(myDeadLetters()).isEmpty();
    }

    @Test
    void should_dead_letter_at_once_when_cxones_retry_after_is_beyond_the_limit() {
        upstream().stubFor(post(urlPathEqualTo(RETRY)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "600").withBody("{\"message\":\"come back later\"}")));

        enqueue(body());

        await().atMost(Duration.ofSeconds(20)).until(() -> myDeadLetters().size() == 1);
        assertThat(retryCalls()).hasSize(1);
        assertThat(myDeadLetters().get(0).attempts()).isEqualTo(1);
        assertThat(myDeadLetters().get(0).reason()).contains("429");
    }

    @Test
    void should_dead_letter_a_retry_cxone_rejects_without_retrying_it() {
        retryAnswers(404);

        enqueue(body());

        await().atMost(Duration.ofSeconds(20)).until(() -> myDeadLetters().size() == 1);
        assertThat(retryCalls()).hasSize(1);
        assertThat(myDeadLetters().get(0).attempts()).isEqualTo(1);
        assertThat(myDeadLetters().get(0).reason()).contains("404");
    }

    @Test
    void should_dead_letter_a_queue_message_without_message_id() {
        enqueue("{\"note\":\"" + messageId + "\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> myDeadLetters().size() == 1);
        assertThat(myDeadLetters().get(0).reason()).contains("no messageId");
        assertThat(retryCalls()).isEmpty();
    }
}
