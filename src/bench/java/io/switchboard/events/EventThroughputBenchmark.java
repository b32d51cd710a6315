package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Value;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A rough throughput measurement, not part of the build: {@code mvn -o test -Dtest=EventThroughputBenchmark
 * -Dswitchboard.benchmark=true}. First a raw AWS SDK receive/delete loop on the same embedded SQS server (as many
 * threads as {@code events.consumers}), then the same number of events through the whole pipeline to three HTTP
 * sinks. The benchmark issue's harness is the reference; this gives a first number.
 */
@EnabledIfSystemProperty(named = "switchboard.benchmark", matches = "true")
class EventThroughputBenchmark extends EventsTestBase {

    static final int EVENTS = Integer.getInteger("switchboard.benchmark.events", 3000);

    @Value("${aws.endpoint}")
    String endpoint;

    @Value("${events.consumers}")
    int consumers;

    @Test
    void measure() throws Exception {
        List<String> bodies = new ArrayList<>();
        List<String> interactions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            interactions.add(UUID.randomUUID().toString());
        }
        for (int k = 0; k < EVENTS; k++) {
            bodies.add(json(cxoneEvent(UUID.randomUUID().toString(), interactions.get(k % 50), "Connected", k)));
        }

        double raw = rawReceiveDeleteLoop(bodies);

        // the queue filled first, as for the raw loop; then the consumer starts and the clock with it
        camel.getRouteController().stopRoute("events-consume");
        publish(bodies);
        double receivedBefore = counter("switchboard.events.received");
        long started = System.nanoTime();
        camel.getRouteController().startRoute("events-consume");
        Set<String> ours = new HashSet<>(interactions);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> counter("switchboard.events.received") - receivedBefore >= EVENTS && messagesInQueue() == 0);
        double ingested = (System.nanoTime() - started) / 1e9;
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                RecordingSinks.NAMES.stream().allMatch(sink -> SINKS.delivered(sink).stream()
                        .filter(r -> ours.contains(r.interactionId())).count() >= EVENTS));
        double seconds = (System.nanoTime() - started) / 1e9;

        System.out.printf("%nBENCHMARK %d events, %d consumers, window %s%n", EVENTS, consumers, "PT2S");
        System.out.printf("BENCHMARK raw SDK receive/delete loop: %.0f msg/s%n", raw);
        System.out.printf("BENCHMARK Switchboard ingest (validated, recorded, deleted from SQS): %.0f events/s (%.1f s)%n",
                EVENTS / ingested, ingested);
        System.out.printf("BENCHMARK Switchboard end to end (delivered at 3 HTTP sinks): %.0f events/s (%.1f s)%n",
                EVENTS / seconds, seconds);
        for (String sink : RecordingSinks.NAMES) {
            Timer timer = meters.find("switchboard.events.sink.latency").tag("sink", sink).timer();
            for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
                System.out.printf("BENCHMARK latency %s p%.0f = %.0f ms%n", sink, p.percentile() * 100,
                        p.value(TimeUnit.MILLISECONDS));
            }
        }
    }

    /** Receive (10 at a time, long polling) and delete, with as many threads as the pipeline has consumers. */
    double rawReceiveDeleteLoop(List<String> bodies) throws Exception {
        SqsClient client = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
        String url = client.createQueue(b -> b.queueName("raw-baseline-" + UUID.randomUUID())).queueUrl();
        for (int i = 0; i < bodies.size(); i += 10) {
            List<String> part = bodies.subList(i, Math.min(i + 10, bodies.size()));
            client.sendMessageBatch(b -> b.queueUrl(url).entries(part.stream()
                    .map(body -> software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                            .id(UUID.randomUUID().toString()).messageBody(body).build()).toList()));
        }
        AtomicInteger done = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(consumers);
        long started = System.nanoTime();
        for (int t = 0; t < consumers; t++) {
            threads.execute(() -> {
                while (done.get() < bodies.size()) {
                    List<Message> messages = client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                            .waitTimeSeconds(Integer.getInteger("switchboard.benchmark.wait", 1))).messages();
                    for (Message message : messages) {
                        client.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                    }
                    done.addAndGet(messages.size());
                }
            });
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
        double rate = bodies.size() / ((System.nanoTime() - started) / 1e9);
        client.close();
        return rate;
    }
}
