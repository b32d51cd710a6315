package io.switchboard.email;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.platform.deadletter.DeadLetters;
import io.switchboard.test.IntegrationTestBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A retry in the middle of its backoff is still an SQS message: invisible to other consumers for as
 * long as the backoff runs (the visibility timeout is extended), deleted only when CXone took it or it
 * became a dead letter. When the consumer goes away mid-backoff, the message comes back to the queue.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "email.retry.initial-delay=PT4S",
        "email.retry.max-delay=PT4S",
        "email.retry.visibility-timeout=PT2S"
})
class DeliveryRetryCrashTest extends IntegrationTestBase {

    static final String RETRY = "/cxone/api/v1/email/delivery/retry";

    @Autowired
    SqsClient sqs;

    @Autowired
    DeadLetters deadLetters;

    @Value("${email.retry-queue}")
    String queue;

    private String queueUrl() {
        return sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }

    private Map<QueueAttributeName, String> counts() {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl()).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    }

    @Test
    void should_keep_the_message_on_the_queue_through_the_backoff_and_get_it_back_after_a_crash() throws Exception {
        String body = "{\"messageId\":\"crash-" + UUID.randomUUID() + "\"}";
        upstream().stubFor(post(urlPathEqualTo(RETRY)).willReturn(aResponse().withStatus(503)));
        sqs.sendMessage(b -> b.queueUrl(queueUrl()).messageBody(body));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> upstream().findAll(postRequestedFor(urlPathEqualTo(RETRY))).size() == 1);

        // mid-backoff, longer than the 2 s visibility timeout: still on the queue, and nobody else sees it
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> {
            Map<QueueAttributeName, String> counts = counts();
            return "0".equals(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    && "1".equals(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        });

        // the consumer goes away in the middle of the backoff (as far as a test JVM can crash)
        camel.getRouteController().stopRoute("email-retry", 1, TimeUnit.SECONDS);
        camel.removeRoute("email-retry");

        // the message was never deleted: it comes back and another consumer gets it, same body
        List<Message> redelivered = await().atMost(Duration.ofSeconds(15)).until(() -> sqs.receiveMessage(b -> b
                        .queueUrl(queueUrl()).maxNumberOfMessages(1).waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages(),
                messages -> !messages.isEmpty());
        assertThat(redelivered.get(0).body()).isEqualTo(body);
        assertThat(Integer.parseInt(redelivered.get(0).attributes()
                .get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))).isGreaterThanOrEqualTo(2);
        assertThat(deadLetters.count(DeliveryRetry.SOURCE)).isZero();
    }
}
