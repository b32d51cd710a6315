package io.switchboard.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The SQS server every event benchmark uses: one embedded ElasticMQ in the harness process, on loopback, as in
 * sandbox mode. Switchboard (started with {@code --switchboard.sandbox.embedded-sqs=false --aws.endpoint=...}) and
 * every baseline read from it, so they are measured against the same server in the same run; the events
 * benchmark's engines reach it through a {@link SqsGate} ({@link #engineEndpoint()}), which holds them while a drain
 * is preloaded.
 */
final class SqsServer implements AutoCloseable {

    static final String ACCESS_KEY = "bench";

    private final SQSRestServer server;
    private final String endpoint;
    private final SqsClient client;
    private final SqsGate gate;

    SqsServer() {
        quietLogs();
        server = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = "http://127.0.0.1:" + port;
        client = client(endpoint, 64);
        try {
            gate = new SqsGate(port);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * ElasticMQ logs every long poll cut short by a consumer that went away (a finished baseline, a killed
     * Switchboard) as an error with a stack trace; those are expected here.
     */
    private static void quietLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.getLogger("org.elasticmq").setLevel(ch.qos.logback.classic.Level.WARN);
            logback.getLogger("org.elasticmq.rest.sqs").setLevel(ch.qos.logback.classic.Level.OFF);
            logback.getLogger("org.apache.pekko").setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    static SqsClient client(String endpoint, int connections) {
        return SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, ACCESS_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(connections))
                .build();
    }

    /** The server itself: the harness's own calls, and the processes of the other benchmarks. */
    String endpoint() {
        return endpoint;
    }

    /** Where the events benchmark's engines reach the server: through the {@link SqsGate}, open but while preloading. */
    String engineEndpoint() {
        return gate.endpoint();
    }

    SqsClient client() {
        return client;
    }

    /** Creates {@code name} (empty) with a {@code -dlq} dead-letter queue after 10 receives, as sandbox mode does. */
    String createQueue(String name) {
        deleteQueue(name);
        String dlqUrl = client.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        String dlqArn = client.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        attributes.put(QueueAttributeName.REDRIVE_POLICY,
                "{\"maxReceiveCount\":\"10\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}");
        return client.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    /** Deletes {@code name} and its {@code -dlq}, as {@link #createQueue} made them, where they exist. */
    void deleteQueue(String name) {
        deleteOne(name);
        deleteOne(name + "-dlq");
    }

    private void deleteOne(String name) {
        try {
            String url = client.getQueueUrl(b -> b.queueName(name)).queueUrl();
            client.deleteQueue(b -> b.queueUrl(url));
        } catch (software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException absent) {
            // nothing to delete
        }
    }

    /** Messages in the queue: visible, in flight or delayed. */
    int depth(String queueUrl) {
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"))
                + Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0"));
    }

    /**
     * Preloads {@code count} messages so that none is visible before a moment T, all are visible within about a
     * second after it, and they become visible in their order: an engine already polling the queue then finds the
     * whole backlog at T, in the order a plain preload would have given it, and a drain can be timed from T without
     * touching the engine. SQS delays are whole seconds, so the sends are spread over {@code slots} seconds before
     * T: batch j goes out in second {@code j % slots} at millisecond {@code j × 1000 / batches} of it, with the delay
     * that lands it at T plus that millisecond. A send that runs late lands late by as much (see
     * {@link Preload#latestMs()}).
     *
     * @param batchesPerSecond how fast this harness sends delayed batches (learnt from earlier preloads): the plan
     *                         leaves half as much time again
     */
    Preload preloadVisibleAt(String queueUrl, int count, IntFunction<String> body, int threads, double batchesPerSecond)
            throws Exception {
        int batches = (count + 9) / 10;
        int slots = Math.max(1, (int) Math.ceil(batches / Math.max(1, batchesPerSecond) * 1.5));
        if (slots > 850) {
            throw new IllegalStateException("a preload of " + count + " messages at " + Math.round(batchesPerSecond * 10)
                    + "/s outlasts SQS's longest delay (900 s)");
        }
        long firstSecond = (System.currentTimeMillis() / 1000 + 1) * 1000;
        long visibleAt = firstSecond + slots * 1000L;
        Integer[] sendOrder = new Integer[batches];
        long[] sendAt = new long[batches];
        for (int j = 0; j < batches; j++) {
            sendOrder[j] = j;
            sendAt[j] = firstSecond + (j % slots) * 1000L + (long) j * 1000 / batches;
        }
        java.util.Arrays.sort(sendOrder, java.util.Comparator.comparingLong(j -> sendAt[j]));
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong latest = new java.util.concurrent.atomic.AtomicLong();
        long[] visible = new long[batches];
        java.util.concurrent.atomic.AtomicLong lastSent = new java.util.concurrent.atomic.AtomicLong();
        onThreads(threads, () -> {
            int n;
            while ((n = next.getAndIncrement()) < batches) {
                int j = sendOrder[n];
                long wait = sendAt[j] - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                int delay = slots - j % slots;
                visible[j] = System.currentTimeMillis() + delay * 1000L;
                sendBatch(queueUrl, j * 10, Math.min(j * 10 + 10, count), body, delay);
                latest.accumulateAndGet(System.currentTimeMillis() - sendAt[j], Math::max);
                lastSent.accumulateAndGet(System.currentTimeMillis(), Math::max);
            }
            return null;
        });
        return new Preload(visibleAt, slots, latest.get(), visible, perSecond(count, lastSent.get() - firstSecond));
    }

    /**
     * Preloads {@code count} messages in their order, none visible before a moment T: sent batch after batch from
     * {@code threads} threads (each takes the next batch), every one with the same delay, long enough for all sends to
     * finish before T. They become visible from T on in the order they were sent, as fast as they were sent; a send
     * that runs late delays the batches after it too, and overtakes none.
     *
     * @param batchesPerSecond how fast this harness sends delayed batches (learnt from earlier preloads): the delay
     *                         leaves half as much time again
     */
    Preload preloadInOrder(String queueUrl, int count, IntFunction<String> body, int threads, double batchesPerSecond)
            throws Exception {
        int batches = (count + 9) / 10;
        int delay = 1 + (int) Math.ceil(batches / Math.max(1, batchesPerSecond) * 1.5);
        if (delay > 900) {
            throw new IllegalStateException("a preload of " + count + " messages at " + Math.round(batchesPerSecond * 10)
                    + "/s outlasts SQS's longest delay (900 s)");
        }
        long[] visible = new long[batches];
        long first = System.currentTimeMillis();
        AtomicInteger next = new AtomicInteger();
        onThreads(threads, () -> {
            int j;
            while ((j = next.getAndIncrement()) < batches) {
                visible[j] = System.currentTimeMillis() + delay * 1000L;
                sendBatch(queueUrl, j * 10, Math.min(j * 10 + 10, count), body, delay);
            }
            return null;
        });
        long sentOver = System.currentTimeMillis() - first;
        long visibleAt = first + delay * 1000L;
        long last = java.util.Arrays.stream(visible).max().orElse(visibleAt);
        // "late": sends that ran past T (their messages became visible after the drain's clock started)
        return new Preload(visibleAt, delay, Math.max(0, last - delay * 1000L - visibleAt), visible,
                perSecond(count, sentOver));
    }

    private static double perSecond(int messages, long millis) {
        return messages * 1000.0 / Math.max(1, millis);
    }

    /**
     * Preloads {@code count} messages while the engines are held at the {@link SqsGate}: it holds, waits for the long
     * polls already in the server to end ({@code waitSeconds}), sends the messages in batches of 10 from
     * {@code threads} threads (each takes the next batch) as fast as they go, and lets the engines through again: that
     * moment is T. The whole backlog is there at T, in the order the batches were sent (the feed's, but for a batch a
     * thread sends a little after the next one), and nothing waits in the server while it is sent.
     */
    Preload preloadHeld(String queueUrl, int count, IntFunction<String> body, int threads, int waitSeconds)
            throws Exception {
        int batches = (count + 9) / 10;
        long[] queued = new long[batches];
        gate.hold();
        long held = System.currentTimeMillis();
        try {
            Thread.sleep(waitSeconds * 1000L + 500);
            long first = System.currentTimeMillis();
            AtomicInteger next = new AtomicInteger();
            onThreads(threads, () -> {
                int j;
                while ((j = next.getAndIncrement()) < batches) {
                    sendBatch(queueUrl, j * 10, Math.min(j * 10 + 10, count), body, null);
                    queued[j] = System.currentTimeMillis();
                }
                return null;
            });
            double perSecond = perSecond(count, System.currentTimeMillis() - first);
            long visibleAt = System.currentTimeMillis();
            return new Preload(visibleAt, (int) ((visibleAt - held + 999) / 1000), 0, queued, perSecond);
        } finally {
            gate.release();
        }
    }

    /**
     * @param visibleAt T, epoch milliseconds
     * @param slots     seconds the sends were spread over (held: seconds the gate held)
     * @param latestMs  how late the latest send went out against its plan (its messages became visible as late)
     * @param batchVisibleAt per batch of 10 (in the feed's order), when it became visible: its send's start plus its
     *                       delay, epoch milliseconds (the SQS server stamps it a little later); held: when its send
     *                       ended, so its place in the queue (all are there at T)
     * @param sentPerSecond  messages sent per second, from the first planned send to the end of the last: the pace
     *                       this harness managed, when it ran late
     */
    record Preload(long visibleAt, int slots, long latestMs, long[] batchVisibleAt, double sentPerSecond) {

        /**
         * Per batch, how many batches planned after it became visible before it: SQS hands out the messages in the
         * order they become visible, so a batch whose send ran late by a few milliseconds falls behind every batch
         * planned to become visible within those milliseconds (2,000 batches of a 20,000-message preload are planned
         * 0.5 ms apart).
         */
        int[] overtakenBy() {
            int batches = batchVisibleAt.length;
            Integer[] byVisibility = new Integer[batches];
            for (int j = 0; j < batches; j++) {
                byVisibility[j] = j;
            }
            java.util.Arrays.sort(byVisibility, java.util.Comparator.<Integer>comparingLong(j -> batchVisibleAt[j])
                    .thenComparingInt(j -> j));
            int[] overtaken = new int[batches];
            for (int rank = 0; rank < batches; rank++) {
                overtaken[byVisibility[rank]] = Math.max(0, rank - byVisibility[rank]);
            }
            return overtaken;
        }
    }

    /**
     * Sends messages {@code from} (inclusive) to {@code to} (exclusive) of a sequence, in batches of 10 from
     * {@code threads} threads, batch order kept only roughly (as EventBridge's own delivery to SQS). Returns when
     * all are sent.
     */
    void sendBatches(String queueUrl, int from, int to, IntFunction<String> body, int threads) throws Exception {
        AtomicInteger nextBatch = new AtomicInteger(from);
        onThreads(threads, () -> {
            int start;
            while ((start = nextBatch.getAndAdd(10)) < to) {
                sendBatch(queueUrl, start, Math.min(start + 10, to), body, null);
            }
            return null;
        });
    }

    /** Messages {@code from} to {@code to} (exclusive) in one batch, each with the delay if one is given. */
    private void sendBatch(String queueUrl, int from, int to, IntFunction<String> body, Integer delaySeconds) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(10);
        for (int i = from; i < to; i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(body.apply(i))
                    .delaySeconds(delaySeconds).build());
        }
        var result = client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        if (!result.failed().isEmpty()) {
            throw new IllegalStateException("SQS refused " + result.failed());
        }
    }

    /** Runs {@code sender} on {@code threads} threads and returns once every one has; a failure of one is thrown. */
    private static void onThreads(int threads, Callable<Void> sender) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                senders.add(pool.submit(sender));
            }
            for (Future<Void> each : senders) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        try {
            gate.close();
        } catch (java.io.IOException e) {
            // closing anyway
        }
        client.close();
        server.stopAndWait();
    }
}
