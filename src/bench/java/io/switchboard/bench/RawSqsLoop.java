package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The physical limit Switchboard is measured against: a bare AWS SDK v2 loop in its own JVM, with the same SQS
 * client set-up as Switchboard's ({@code SqsClient.builder()}, default HTTP client), the same number of consumer
 * threads, and the same receive (10 messages, the same long-polling wait), doing nothing with a message but delete
 * it.
 * <ul>
 *   <li><b>B1</b> ({@code each}): receive 10, delete each one with its own DeleteMessage call;</li>
 *   <li><b>B2</b> ({@code batch}): receive 10, delete them with one DeleteMessageBatch call.</li>
 * </ul>
 * Protocol with the harness: it drains the warm-up queue, says {@code @@READY}, waits for {@code GO} on stdin,
 * drains {@code expected} messages and says {@code @@DONE <deleted> <nanos> <cpuNanos>} (this JVM's CPU time
 * during the drain).
 *
 * <pre>java -cp ... io.switchboard.bench.RawSqsLoop endpoint queueUrl each|batch threads expected waitSeconds warmupQueueUrl warmupCount</pre>
 */
public final class RawSqsLoop {

    private final SqsClient sqs;
    private final boolean batch;
    private final int threads;
    private final int waitSeconds;

    private RawSqsLoop(SqsClient sqs, boolean batch, int threads, int waitSeconds) {
        this.sqs = sqs;
        this.batch = batch;
        this.threads = threads;
        this.waitSeconds = waitSeconds;
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String queueUrl = args[1];
        int threads = Integer.parseInt(args[3]);
        long expected = Long.parseLong(args[4]);
        int waitSeconds = Integer.parseInt(args[5]);
        RawSqsLoop loop = create(endpoint, args[2], threads, waitSeconds);
        if (args.length > 7 && Long.parseLong(args[7]) > 0) {
            loop.drain(args[6], Long.parseLong(args[7]));
        }
        System.out.println(ChildJvm.MARK + "READY");
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command = stdin.readLine();
        if (!"GO".equals(command)) {
            System.exit(2);
        }
        long started = System.nanoTime();
        long cpuBefore = processCpuNanos();
        long deleted = loop.drain(queueUrl, expected);
        long took = System.nanoTime() - started;
        long cpu = processCpuNanos() - cpuBefore;
        System.out.println(ChildJvm.MARK + "DONE " + deleted + " " + took + " " + cpu);
        System.out.flush();
        System.exit(0); // the other threads may be waiting in a long poll
    }

    /** A loop for mode {@code each} (B1) or {@code batch} (B2) with a client set up as Switchboard's. */
    static RawSqsLoop create(String endpoint, String mode, int threads, int waitSeconds) {
        boolean batch = switch (mode) {
            case "each" -> false;
            case "batch" -> true;
            default -> throw new IllegalArgumentException("mode each|batch, not " + mode);
        };
        SqsClient sqs = SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SqsServer.ACCESS_KEY, SqsServer.ACCESS_KEY)))
                .build();
        return new RawSqsLoop(sqs, batch, threads, waitSeconds);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Receives and deletes until {@code expected} messages are gone; returns how many were deleted. */
    long drain(String queueUrl, long expected) throws InterruptedException {
        AtomicLong deleted = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                while (deleted.get() < expected) {
                    try {
                        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                                .waitTimeSeconds(waitSeconds)).messages();
                        if (messages.isEmpty()) {
                            continue;
                        }
                        long now = batch ? deleteBatch(queueUrl, messages, deleted) : deleteEach(queueUrl, messages, deleted);
                        if (now >= expected) {
                            done.countDown();
                        }
                    } catch (RuntimeException e) {
                        if (deleted.get() >= expected) {
                            return; // the drain is over and the server may be gone
                        }
                        throw e;
                    }
                }
            }, "raw-sqs-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        done.await();
        return deleted.get();
    }

    private long deleteEach(String queueUrl, List<Message> messages, AtomicLong deleted) {
        long total = 0;
        for (Message message : messages) {
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            total = deleted.incrementAndGet();
        }
        return total;
    }

    private long deleteBatch(String queueUrl, List<Message> messages, AtomicLong deleted) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id("d" + i)
                    .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        int ok = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).successful().size();
        return deleted.addAndGet(ok);
    }
}
