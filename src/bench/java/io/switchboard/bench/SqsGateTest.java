package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The gate in front of the bench's SQS server, driven through the AWS SDK as an engine drives it. */
class SqsGateTest {

    static SqsServer sqs;
    static SqsClient engine;

    @BeforeAll
    static void start() {
        sqs = new SqsServer();
        engine = SqsServer.client(sqs.engineEndpoint(), 4);
    }

    @AfterAll
    static void stop() {
        engine.close();
        sqs.close();
    }

    @Test
    void should_pass_an_engines_calls_to_the_server_while_open() {
        String queueUrl = sqs.createQueue("gate-open");
        engine.sendMessage(b -> b.queueUrl(queueUrl).messageBody("hello"));

        List<Message> received = engine.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages();

        assertThat(received).extracting(Message::body).containsExactly("hello");
    }

    @Test
    void should_hold_an_engines_receive_through_a_preload_and_let_it_find_the_backlog_at_its_head() throws Exception {
        String queueUrl = sqs.createQueue("gate-held");
        CompletableFuture<List<Message>> held = new CompletableFuture<>();
        AtomicLong answeredAt = new AtomicLong();

        SqsServer.Preload preload = sqs.preloadHeld(queueUrl, 300, i -> {
            if (i == 0) { // the gate holds by now: a receive the engine sends waits there, not in the server
                CompletableFuture.runAsync(() -> {
                    List<Message> messages = engine.receiveMessage(
                            b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
                    answeredAt.set(System.currentTimeMillis());
                    held.complete(messages);
                });
            }
            return "m" + i;
        }, 1, 1);

        // the first batch (ElasticMQ stamps a batch's messages alike, and orders those as it likes)
        assertThat(held.get(10, TimeUnit.SECONDS)).extracting(Message::body)
                .containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
        assertThat(answeredAt.get()).as("answered once the gate let it through").isGreaterThanOrEqualTo(preload.visibleAt());
        assertThat(preload.latestMs()).isZero();
        assertThat(preload.overtakenBy()).containsOnly(0);
    }
}
